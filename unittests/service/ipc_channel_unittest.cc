#include "service/ipc_channel.h"

#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/delimited_message_util.h"
#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "proto/ipc.pb.h"

namespace prewarm {
namespace {

using ::testing::HasSubstr;

// Records what the channel delivers; `on_message` may answer.
class RecordingDelegate : public IpcChannel::Delegate {
 public:
  void OnMessageReceived(
      const google::protobuf::MessageLite& message) override {
    received.push_back(static_cast<const ipc::ClientMessage&>(message));
    if (on_message)
      on_message(received.back());
  }
  bool OnUndecodableMessage(std::string_view body) override {
    ++undecodable;
    return skip_undecodable;
  }
  void OnBadFrame(int error, const std::string& description) override {
    bad_frame_error = error;
    bad_frame_description = description;
  }
  void OnChannelClosed(int error) override {
    closed = true;
    close_error = error;
  }

  std::vector<ipc::ClientMessage> received;
  std::function<void(const ipc::ClientMessage&)> on_message;
  bool skip_undecodable = false;
  int undecodable = 0;
  int bad_frame_error = net::OK;
  std::string bad_frame_description;
  bool closed = false;
  int close_error = net::OK;
};

std::string Frame(const google::protobuf::MessageLite& message) {
  std::string bytes;
  google::protobuf::io::StringOutputStream out(&bytes);
  EXPECT_TRUE(google::protobuf::util::SerializeDelimitedToZeroCopyStream(
      message, &out));
  return bytes;
}

ipc::ClientMessage Request(uint32_t request_id) {
  ipc::ClientMessage message;
  message.set_request_id(request_id);
  message.mutable_flush()->set_context_id(1);
  return message;
}

// A reply of about `bytes` bytes.
ipc::ServiceMessage Reply(uint32_t request_id, size_t bytes) {
  ipc::ServiceMessage message;
  message.set_request_id(request_id);
  message.mutable_error()->set_message(std::string(bytes, 'r'));
  return message;
}

// The service's end of a socket pair is the channel under test; the test
// plays a (hostile) peer on the other end with plain syscalls.
class IpcChannelTest : public testing::Test {
 protected:
  void Open(const IpcChannel::Limits& limits) {
    int fds[2];
    ASSERT_EQ(0, ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds));
    peer_ = fds[1];
    channel_ = std::make_unique<IpcChannel>(
        fds[0], std::make_unique<ipc::ClientMessage>(), &delegate_, limits);
    channel_->Start();
  }
  ~IpcChannelTest() override {
    channel_.reset();
    if (peer_ >= 0)
      ::close(peer_);
  }

  // Writes what the socket takes; returns how much.
  size_t PeerWrite(std::string_view bytes) {
    ssize_t n = ::send(peer_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    return n > 0 ? static_cast<size_t>(n) : 0;
  }
  // Reads everything the socket holds; returns how many bytes.
  size_t PeerDrain() {
    size_t total = 0;
    char buffer[65536];
    ssize_t n;
    while ((n = ::recv(peer_, buffer, sizeof(buffer), MSG_DONTWAIT)) > 0)
      total += static_cast<size_t>(n);
    return total;
  }

  net::EventLoop loop_{net::EventLoop::TimeSource::kMockTime};
  RecordingDelegate delegate_;
  std::unique_ptr<IpcChannel> channel_;
  int peer_ = -1;
};

// F5: a peer that sends requests and never reads the replies used to have
// every request run, its replies piling up to twice the 64 MiB cap.
TEST_F(IpcChannelTest, PeerThatNeverReadsStopsBeingReadUntilItReads) {
  IpcChannel::Limits limits;
  limits.pause_reading_above_bytes = 64 * 1024;
  Open(limits);
  delegate_.on_message = [&](const ipc::ClientMessage& message) {
    channel_->Send(Reply(message.request_id(), 16 * 1024));
  };
  constexpr uint32_t kRequests = 2000;
  std::string requests;
  for (uint32_t id = 1; id <= kRequests; ++id)
    requests += Frame(Request(id));
  size_t written = 0;
  for (int round = 0; round < 100 && written < requests.size(); ++round) {
    written += PeerWrite(std::string_view(requests).substr(written));
    loop_.RunUntilIdle();
  }
  // The socket buffers filled both ways; the channel stopped there.
  EXPECT_TRUE(channel_->is_open());
  EXPECT_TRUE(channel_->is_paused_for_output());
  EXPECT_LT(delegate_.received.size(), kRequests);
  EXPECT_LE(channel_->pending_write_bytes(),
            limits.pause_reading_above_bytes + 17 * 1024);
  // Once the peer reads, everything it sent is served.
  for (int round = 0; round < 10000 && delegate_.received.size() < kRequests;
       ++round) {
    PeerDrain();
    if (written < requests.size())
      written += PeerWrite(std::string_view(requests).substr(written));
    loop_.RunUntilIdle();
  }
  EXPECT_EQ(delegate_.received.size(), kRequests);
  EXPECT_FALSE(delegate_.closed);
}

// Replies to work already under way still arrive while reading is paused;
// the buffer refuses the one that would go past the cap, and closes.
TEST_F(IpcChannelTest, WriteBufferNeverGrowsPastItsCap) {
  IpcChannel::Limits limits;
  limits.max_outgoing_buffer_bytes = 1 << 20;
  Open(limits);
  int sent = 0;
  while (channel_->Send(Reply(1, 100 * 1000))) {
    ++sent;
    EXPECT_LE(channel_->pending_write_bytes(),
              limits.max_outgoing_buffer_bytes);
    EXPECT_LE(channel_->write_buffer_capacity(),
              limits.max_outgoing_buffer_bytes);
  }
  EXPECT_EQ(sent, 10);
  EXPECT_LE(channel_->write_buffer_capacity(),
            limits.max_outgoing_buffer_bytes);
  loop_.RunUntilIdle();
  EXPECT_TRUE(delegate_.closed);
  EXPECT_EQ(delegate_.close_error, net::ERR_INSUFFICIENT_RESOURCES);
}

// One readable event used to run every frame of a 64 KiB chunk at once.
TEST_F(IpcChannelTest, FramesOfOneReadRunAFewPerLoopTurn) {
  Open(IpcChannel::Limits());
  size_t seen_by_next_task = 0;
  delegate_.on_message = [&](const ipc::ClientMessage&) {
    if (delegate_.received.size() == 1) {
      net::EventLoop::Current()->PostTask(
          [&] { seen_by_next_task = delegate_.received.size(); });
    }
  };
  std::string frames;
  for (uint32_t id = 1; id <= 100; ++id)
    frames += Frame(Request(id));
  ASSERT_EQ(PeerWrite(frames), frames.size());
  loop_.RunUntilIdle();
  EXPECT_EQ(seen_by_next_task, IpcChannel::kMaxFramesPerTurn);
  EXPECT_EQ(delegate_.received.size(), 100u);
}

// F11: a frame left incomplete used to wait for ever.
TEST_F(IpcChannelTest, PartialFrameTimesOutCountedFromItsFirstByte) {
  IpcChannel::Limits limits;
  limits.partial_frame_timeout = absl::Seconds(10);
  Open(limits);
  const std::string frame = Frame(Reply(1, 1000));
  ASSERT_EQ(PeerWrite(frame.substr(0, 1)), 1u);
  loop_.RunUntilIdle();
  // Trickling bytes does not move the deadline.
  for (int second = 1; second < 10; ++second) {
    loop_.FastForwardBy(absl::Seconds(1));
    PeerWrite(frame.substr(second, 1));
    loop_.RunUntilIdle();
    ASSERT_FALSE(delegate_.closed) << second;
  }
  loop_.FastForwardBy(absl::Seconds(1));
  EXPECT_TRUE(delegate_.closed);
  EXPECT_EQ(delegate_.close_error, net::ERR_TIMED_OUT);
  EXPECT_EQ(delegate_.bad_frame_error, net::ERR_TIMED_OUT);
  EXPECT_THAT(delegate_.bad_frame_description,
              HasSubstr("stayed incomplete for 10s"));
}

TEST_F(IpcChannelTest, EachFrameGetsItsOwnDeadline) {
  IpcChannel::Limits limits;
  limits.partial_frame_timeout = absl::Seconds(10);
  Open(limits);
  const std::string first = Frame(Request(1));
  const std::string second = Frame(Request(2));
  PeerWrite(first.substr(0, 1));
  loop_.RunUntilIdle();
  loop_.FastForwardBy(absl::Seconds(8));
  // The first frame ends and the second begins in the same write.
  PeerWrite(first.substr(1) + second.substr(0, 1));
  loop_.RunUntilIdle();
  EXPECT_EQ(delegate_.received.size(), 1u);
  loop_.FastForwardBy(absl::Seconds(9));
  EXPECT_FALSE(delegate_.closed);
  loop_.FastForwardBy(absl::Seconds(1));
  EXPECT_TRUE(delegate_.closed);
  EXPECT_EQ(delegate_.close_error, net::ERR_TIMED_OUT);
}

TEST_F(IpcChannelTest, NoDeadlineWhenTheTimeoutIsInfinite) {
  IpcChannel::Limits limits;
  limits.partial_frame_timeout = absl::InfiniteDuration();
  Open(limits);
  PeerWrite(Frame(Request(1)).substr(0, 1));
  loop_.RunUntilIdle();
  loop_.FastForwardBy(absl::Hours(24));
  EXPECT_FALSE(delegate_.closed);
}

// F11: the first read used to allocate a zero-filled 64 KiB buffer, kept for
// the connection's life: 5,000 one-byte connections cost 334 MB.
TEST_F(IpcChannelTest, BuffersGrowOnlyAsBytesArriveAndAreReleased) {
  Open(IpcChannel::Limits());
  EXPECT_EQ(channel_->read_buffer_capacity(), 0u);
  PeerWrite(std::string(1, '\x80'));  // The first byte of a long prefix.
  loop_.RunUntilIdle();
  EXPECT_LE(channel_->read_buffer_capacity(), 16u);
  // A 600 KB frame: its exact size is reserved once its prefix is in.
  ipc::ClientMessage big = Request(1);
  big.mutable_create_network_context()->mutable_params()->set_connect_to(
      std::string(600 * 1000, 'x'));
  const std::string frame = Frame(big);
  ::close(peer_);
  int fds[2];
  ASSERT_EQ(0, ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds));
  peer_ = fds[1];
  channel_ = std::make_unique<IpcChannel>(
      fds[0], std::make_unique<ipc::ClientMessage>(), &delegate_,
      IpcChannel::Limits());
  channel_->Start();
  size_t written = 0;
  while (written < frame.size()) {
    written += PeerWrite(std::string_view(frame).substr(written, 50000));
    loop_.RunUntilIdle();
    if (written < frame.size()) {
      EXPECT_LE(channel_->read_buffer_capacity(), frame.size());
    }
  }
  ASSERT_EQ(delegate_.received.size(), 1u);
  EXPECT_EQ(channel_->read_buffer_capacity(), 0u);
  // Replies drained by the peer leave no buffer behind either.
  channel_->Send(Reply(1, 500 * 1000));
  for (int i = 0; i < 100 && channel_->pending_write_bytes() > 0; ++i) {
    PeerDrain();
    loop_.RunUntilIdle();
  }
  EXPECT_EQ(channel_->pending_write_bytes(), 0u);
  EXPECT_EQ(channel_->write_buffer_capacity(), 0u);
}

TEST_F(IpcChannelTest, UndecodableMessageTheDelegateTakesKeepsTheChannel) {
  Open(IpcChannel::Limits());
  delegate_.skip_undecodable = true;
  // Field 1 as a length-delimited field where a varint belongs, then a
  // nested message field holding garbage: no ClientMessage.
  const std::string garbage = "\x0a\x01x\x12\x02\xff\xff";
  std::string bytes = std::string(1, static_cast<char>(garbage.size())) +
                      garbage + Frame(Request(9));
  PeerWrite(bytes);
  loop_.RunUntilIdle();
  EXPECT_EQ(delegate_.undecodable, 1);
  ASSERT_EQ(delegate_.received.size(), 1u);
  EXPECT_EQ(delegate_.received[0].request_id(), 9u);
  EXPECT_FALSE(delegate_.closed);
}

TEST_F(IpcChannelTest, UndecodableMessageTheDelegateRefusesCloses) {
  Open(IpcChannel::Limits());
  const std::string garbage = "\x12\x02\xff\xff";
  PeerWrite(std::string(1, static_cast<char>(garbage.size())) + garbage);
  loop_.RunUntilIdle();
  EXPECT_TRUE(delegate_.closed);
  EXPECT_EQ(delegate_.close_error, net::ERR_INVALID_IPC_MESSAGE);
}

}  // namespace
}  // namespace prewarm
