#include "control/key_ring.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <utility>

#include "control/signing_keys.hpp"

namespace ls::control {

StoreKeyRing::StoreKeyRing(Store& store, const Clock& clock, KeyRingOptions options)
    : store_(store), clock_(clock), options_(options), view_(buildView({}, clock.now())) {}

StoreKeyRing::~StoreKeyRing() { stop(); }

Status StoreKeyRing::reload() {
  auto rows = store_.listSigningKeys();
  if (!rows.ok()) return std::move(rows).takeStatus();
  std::vector<Loaded> previous;
  {
    std::lock_guard lock(mutex_);
    previous = loaded_;
  }
  std::vector<Loaded> loaded;
  loaded.reserve(rows->size());
  for (SigningKeyRecord& row : *rows) {
    Loaded entry;
    // A key parsed before is reused: parsing runs a sign/verify self-test.
    for (const Loaded& old : previous) {
      if (old.meta.kid == row.kid) entry.key = old.key;
    }
    if (!entry.key) {
      auto parsed = auth::SigningKey::fromPem(row.privateKeyPem, "of kid " + row.kid + " in the database");
      if (!parsed.ok()) {
        spdlog::error("push-token key {} left out: {}", row.kid, parsed.status().message());
        continue;
      }
      if (parsed->kid() != row.kid) {
        spdlog::error("push-token key {} left out: its key's thumbprint is {}", row.kid, parsed->kid());
        continue;
      }
      entry.key = std::make_shared<const auth::SigningKey>(std::move(*parsed));
    }
    row.privateKeyPem.clear();
    entry.meta = std::move(row);
    loaded.push_back(std::move(entry));
  }
  std::shared_ptr<const View> fresh = buildView(loaded, clock_.now());
  std::shared_ptr<const View> before;
  {
    std::lock_guard lock(mutex_);
    loaded_ = std::move(loaded);
    before = std::exchange(view_, fresh);
  }
  if (before->describe != fresh->describe) spdlog::info("push-token keys: {}", fresh->describe);
  return Status::ok();
}

std::shared_ptr<const StoreKeyRing::View> StoreKeyRing::buildView(const std::vector<Loaded>& loaded, UnixMillis now) {
  std::vector<SigningKeyRecord> metas;
  metas.reserve(loaded.size());
  for (const Loaded& l : loaded) metas.push_back(l.meta);
  const KeySchedule schedule = scheduleKeys(metas, now);
  auto view = std::make_shared<View>();
  auth::PublicKeySet verifiers;
  std::size_t verifying = 0;
  for (std::size_t i = 0; i < loaded.size(); ++i) {
    if (schedule.states[i] == SigningKeyState::kRetired) continue;
    if (verifiers.add(*loaded[i].key).isOk()) ++verifying;
  }
  if (schedule.active) view->signer = loaded[*schedule.active].key;
  view->verifiers = std::make_shared<const auth::PublicKeySet>(std::move(verifiers));
  view->jwks = view->verifiers->toJwksJson();
  view->describe = (view->signer ? "signing with " + view->signer->kid() : std::string("no active key")) + ", " +
                   std::to_string(verifying) + " verifying";
  view->validUntil = schedule.nextChange;
  return view;
}

std::shared_ptr<const StoreKeyRing::View> StoreKeyRing::view() const {
  const UnixMillis now = clock_.now();
  std::shared_ptr<const View> before;
  std::shared_ptr<const View> current;
  {
    std::lock_guard lock(mutex_);
    if (!view_->validUntil || now < *view_->validUntil) return view_;
    // A key activated or retired since the view was built: the rows in
    // memory say what changes, so no database round trip is needed.
    current = buildView(loaded_, now);
    before = std::exchange(view_, current);
  }
  if (before->describe != current->describe) spdlog::info("push-token keys: {}", current->describe);
  return current;
}

std::shared_ptr<const auth::SigningKey> StoreKeyRing::signer() const { return view()->signer; }

std::shared_ptr<const auth::PublicKeySet> StoreKeyRing::verifiers() const { return view()->verifiers; }

std::string StoreKeyRing::jwksJson() const { return view()->jwks; }

void StoreKeyRing::start() {
  std::lock_guard lock(threadMutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { reloadLoop(); });
}

void StoreKeyRing::stop() {
  {
    std::lock_guard lock(threadMutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StoreKeyRing::reloadLoop() {
  const auto interval = std::chrono::milliseconds(options_.reloadMs > 0 ? options_.reloadMs : 30'000);
  std::unique_lock lock(threadMutex_);
  while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) {
    lock.unlock();
    if (Status s = reload(); !s.isOk()) {
      spdlog::warn("push-token keys not reloaded (keeping the keys read before): {}", s.message());
    }
    lock.lock();
  }
}

}  // namespace ls::control
