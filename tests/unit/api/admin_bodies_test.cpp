#include "api/admin_bodies.hpp"

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <string>

namespace ls::api {
namespace {

// The password bodies take what a login takes: 8..1024 bytes (a 255-character
// cap on every string field used to refuse longer ones before the password rule).
TEST(AdminPasswordBodies, TakePasswordsUpTo1024Bytes) {
  const std::string long1024(1024, 'p');
  const std::string over(1025, 'p');
  const std::string mid(300, 'p');

  auto created = parseCreateUserBody(boost::json::object{{"email", "a@example.com"}, {"password", mid}});
  ASSERT_TRUE(created.ok()) << created.status().message();
  EXPECT_EQ(created->password, mid);
  EXPECT_TRUE(parseCreateUserBody(boost::json::object{{"email", "a@example.com"}, {"password", long1024}}).ok());
  EXPECT_FALSE(parseCreateUserBody(boost::json::object{{"email", "a@example.com"}, {"password", over}}).ok());
  EXPECT_FALSE(parseCreateUserBody(boost::json::object{{"email", "a@example.com"}, {"password", "short"}}).ok());

  auto updated = parseUpdateUserBody(boost::json::object{{"password", long1024}});
  ASSERT_TRUE(updated.ok()) << updated.status().message();
  EXPECT_EQ(updated->password, long1024);
  EXPECT_FALSE(parseUpdateUserBody(boost::json::object{{"password", over}}).ok());

  auto changed =
      parseChangePasswordBody(boost::json::object{{"currentPassword", "old-password"}, {"newPassword", mid}});
  ASSERT_TRUE(changed.ok()) << changed.status().message();
  EXPECT_EQ(changed->newPassword, mid);
  EXPECT_FALSE(parseChangePasswordBody(boost::json::object{{"currentPassword", "x"}, {"newPassword", over}}).ok());
}

}  // namespace
}  // namespace ls::api
