#include "loadgen/report.hpp"

#include <gtest/gtest.h>

namespace ls::loadgen {
namespace {

TEST(DistributionOf, NearestRankPercentiles) {
  std::vector<double> v;
  for (int i = 100; i >= 1; --i) v.push_back(i);
  const Distribution d = distributionOf(v);
  EXPECT_EQ(d.count, 100u);
  EXPECT_DOUBLE_EQ(d.min, 1);
  EXPECT_DOUBLE_EQ(d.p50, 50);
  EXPECT_DOUBLE_EQ(d.p90, 90);
  EXPECT_DOUBLE_EQ(d.p99, 99);
  EXPECT_DOUBLE_EQ(d.max, 100);
  EXPECT_DOUBLE_EQ(d.mean, 50.5);
}

TEST(DistributionOf, SmallAndEmpty) {
  std::vector<double> one{7};
  const Distribution d = distributionOf(one);
  EXPECT_DOUBLE_EQ(d.p50, 7);
  EXPECT_DOUBLE_EQ(d.p99, 7);
  std::vector<double> none;
  EXPECT_EQ(distributionOf(none).count, 0u);
}

}  // namespace
}  // namespace ls::loadgen
