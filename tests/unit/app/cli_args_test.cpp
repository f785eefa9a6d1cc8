#include "app/cli_args.hpp"

#include <gtest/gtest.h>

namespace ls::app {
namespace {

TEST(CliArgs, ReadsValuesFlagsAndRepeats) {
  auto args = CliArgs::parse({"add", "--name", "n1", "--cdn=a=https://x", "--cdn", "b=https://y", "--json"},
                             {{"name"}, {"cdn", true, true}, {"json", false}});
  ASSERT_TRUE(args.ok()) << args.status().message();
  EXPECT_EQ(args->get("name"), "n1");
  EXPECT_EQ(args->all("cdn"), (std::vector<std::string>{"a=https://x", "b=https://y"}));
  EXPECT_TRUE(args->has("json"));
  EXPECT_EQ(args->positional(), std::vector<std::string>{"add"});
}

TEST(CliArgs, ErrorsNameTheOption) {
  auto unknown = CliArgs::parse({"--nope"}, {{"name"}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("--nope"), std::string::npos);
  auto missing = CliArgs::parse({"--name"}, {{"name"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("needs a value"), std::string::npos);
  EXPECT_FALSE(CliArgs::parse({"--name", "a", "--name", "b"}, {{"name"}}).ok());
  EXPECT_FALSE(CliArgs::parse({"--json=1"}, {{"json", false}}).ok());
}

}  // namespace
}  // namespace ls::app
