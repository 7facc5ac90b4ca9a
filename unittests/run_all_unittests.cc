#include <csignal>

#include "gtest/gtest.h"

int main(int argc, char** argv) {
  // A peer that closes a socket mid-write must give ERR_CONNECTION_RESET, not
  // kill the test binary.
  std::signal(SIGPIPE, SIG_IGN);
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
