#include "net/event/weak_ptr.h"

#include <memory>

#include "gtest/gtest.h"
#include "net/event/event_loop.h"

namespace net {
namespace {

struct Target {
  int value = 0;
  WeakPtrFactory<Target> weak_factory{this};
};

TEST(WeakPtrTest, DefaultIsNull) {
  WeakPtr<Target> weak;
  EXPECT_FALSE(weak);
  EXPECT_EQ(weak.get(), nullptr);
}

TEST(WeakPtrTest, PointsAtTheOwnerWhileItLives) {
  Target target;
  WeakPtr<Target> weak = target.weak_factory.GetWeakPtr();
  ASSERT_TRUE(weak);
  weak->value = 3;
  EXPECT_EQ(target.value, 3);
  EXPECT_TRUE(target.weak_factory.HasWeakPtrs());
}

TEST(WeakPtrTest, BecomesNullWhenTheOwnerIsDestroyed) {
  auto target = std::make_unique<Target>();
  WeakPtr<Target> weak = target->weak_factory.GetWeakPtr();
  WeakPtr<Target> copy = weak;
  target.reset();
  EXPECT_FALSE(weak);
  EXPECT_FALSE(copy);
}

TEST(WeakPtrTest, InvalidateWeakPtrsNullsOldPointersOnly) {
  Target target;
  WeakPtr<Target> old_weak = target.weak_factory.GetWeakPtr();
  target.weak_factory.InvalidateWeakPtrs();
  EXPECT_FALSE(old_weak);
  EXPECT_FALSE(target.weak_factory.HasWeakPtrs());
  WeakPtr<Target> new_weak = target.weak_factory.GetWeakPtr();
  EXPECT_EQ(new_weak.get(), &target);
}

TEST(WeakPtrTest, PostedTaskBoundToADestroyedObjectDoesNothing) {
  EventLoop loop;
  auto target = std::make_unique<Target>();
  int runs = 0;
  loop.PostTask([weak = target->weak_factory.GetWeakPtr(), &runs] {
    if (weak)
      ++runs;
  });
  target.reset();
  loop.RunUntilIdle();
  EXPECT_EQ(runs, 0);
}

}  // namespace
}  // namespace net
