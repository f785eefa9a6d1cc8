#include "media/server/connection_budget.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace ls::media_server {
namespace {

TEST(ConnectionBudget, CapsConnectionsPerAddressAndInAll) {
  ConnectionBudget budget({3, 2, 1000});
  auto a1 = budget.admit("10.0.0.1");
  auto a2 = budget.admit("10.0.0.1");
  ASSERT_TRUE(a1 && a2);
  EXPECT_FALSE(budget.admit("10.0.0.1")) << "per address";
  auto b1 = budget.admit("10.0.0.2");
  ASSERT_TRUE(b1);
  EXPECT_FALSE(budget.admit("10.0.0.3")) << "in all";
  EXPECT_EQ(budget.refused(), 2u);
  a1->release();
  a1->release();
  EXPECT_EQ(budget.connections(), 2u) << "release is idempotent";
  EXPECT_TRUE(budget.admit("10.0.0.3")) << "a released ticket frees a place (and is freed itself here)";
  EXPECT_TRUE(budget.admit("10.0.0.1"));
}

TEST(ConnectionBudget, HeldBytesAreCappedAcrossConnections) {
  ConnectionBudget budget({10, 10, 100});
  auto a = budget.admit("a");
  auto b = budget.admit("b");
  EXPECT_TRUE(a->hold(60));
  EXPECT_FALSE(b->hold(50)) << "60 + 50 > 100";
  EXPECT_TRUE(b->hold(40));
  EXPECT_EQ(budget.heldBytes(), 100u);
  EXPECT_TRUE(a->hold(10)) << "shrinking always succeeds";
  EXPECT_EQ(budget.heldBytes(), 50u);
  b.reset();
  EXPECT_EQ(budget.heldBytes(), 10u) << "a closed connection gives its bytes back";
}

TEST(ConnectionBudget, TicketsMoveWithoutDoubleRelease) {
  ConnectionBudget budget({1, 1, 10});
  std::vector<ConnectionBudget::Ticket> tickets;
  tickets.push_back(std::move(*budget.admit("a")));
  EXPECT_EQ(budget.connections(), 1u);
  ConnectionBudget::Ticket moved = std::move(tickets.back());
  tickets.clear();
  EXPECT_EQ(budget.connections(), 1u);
  moved.release();
  EXPECT_EQ(budget.connections(), 0u);
}

}  // namespace
}  // namespace ls::media_server
