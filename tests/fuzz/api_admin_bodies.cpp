// Project, livestream, media-server, user, signing-key and media-node bodies give InvalidArgument or values within their bounds. Never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "api/admin_bodies.hpp"
#include "api/body_reader.hpp"
#include "api/livestream_bodies.hpp"
#include "http/request.hpp"

namespace {

void check(bool invariant) {
  if (!invariant) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ls::api;
  ls::http::Request request =
      ls::http::Request::make(ls::http::Method::kPost, "/api/v1/admin/projects",
                              std::string(reinterpret_cast<const char*>(data), size), {{"Content-Type", "application/json"}});
  auto body = parseJsonObject(request);
  if (!body.ok()) return 0;
  if (auto create = parseCreateProjectBody(*body); create.ok()) {
    check(!create->name.empty() && create->name.size() <= 255 && create->teamId.size() == 36);
  } else {
    check(create.status().code() == ls::Code::kInvalidArgument);
  }
  if (auto update = parseUpdateProjectBody(*body); update.ok()) {
    if (update->name) check(!update->name->empty() && update->name->size() <= 255);
    if (update->rateLimit) check(update->setRateLimit && update->rateLimit->perMinute >= 1 && update->rateLimit->perHour >= 1);
  } else {
    check(update.status().code() == ls::Code::kInvalidArgument);
  }
  if (auto created = parseAdminCreateLivestreamBody(*body); created.ok()) check(!created->name.empty());
  if (auto renamed = parseAdminRenameLivestreamBody(*body); renamed.ok()) check(!renamed->empty());
  if (auto token = parseAdminPushTokenBody(*body); token.ok() && token->has_value()) check(**token >= kMinExpiresIn);
  if (auto server = parseMediaServerBody(*body, nullptr); server.ok()) check(!server->name.empty());
  const ls::control::MediaServerInput base{};
  if (auto server = parseMediaServerBody(*body, &base); server.ok()) check(server->cdns.size() <= 32);
  if (auto user = parseCreateUserBody(*body); user.ok()) {
    check(user->password.size() >= 8 && user->password.size() <= 1024 && !user->email.empty());
  } else {
    check(user.status().code() == ls::Code::kInvalidArgument);
  }
  if (auto update = parseUpdateUserBody(*body); update.ok()) {
    if (update->password) check(update->password->size() >= 8 && update->password->size() <= 1024);
  } else {
    check(update.status().code() == ls::Code::kInvalidArgument);
  }
  if (auto change = parseChangePasswordBody(*body); change.ok()) {
    check(change->newPassword.size() >= 8 && change->newPassword.size() <= 1024);
  }
  if (auto rotate = parseRotateKeyBody(*body); rotate.ok() && rotate->has_value()) {
    check(**rotate >= 0 && **rotate <= 31'536'000);
  }
  if (auto node = parseMediaNodeBody(*body); node.ok()) {
    check(!node->name.empty() && node->type == ls::MediaServerType::kEmbedded);
  } else {
    check(node.status().code() == ls::Code::kInvalidArgument);
  }
  return 0;
}
