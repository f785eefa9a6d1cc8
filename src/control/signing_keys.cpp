#include "control/signing_keys.hpp"

#include <tuple>
#include <utility>

#include "auth/signing_key.hpp"

namespace ls::control {

namespace {

bool retiredAt(const SigningKeyRecord& key, UnixMillis now) { return key.retiresAt && *key.retiresAt <= now; }

// Newer: later activation, then later creation, then the greater kid (any
// total order will do; this one is the same in every process).
bool newer(const SigningKeyRecord& a, const SigningKeyRecord& b) {
  return std::tie(a.activatesAt, a.createdAt, a.kid) > std::tie(b.activatesAt, b.createdAt, b.kid);
}

Result<SigningKeyRecord> newKeyRecord(std::string pem, UnixMillis createdAt, UnixMillis activatesAt) {
  auto parsed = auth::SigningKey::fromPem(pem, "new signing key");
  if (!parsed.ok()) return std::move(parsed).takeStatus();
  return SigningKeyRecord{.kid = parsed->kid(),
                          .privateKeyPem = std::move(pem),
                          .createdAt = createdAt,
                          .activatesAt = activatesAt,
                          .retiresAt = std::nullopt};
}

}  // namespace

const char* toString(SigningKeyState state) {
  switch (state) {
    case SigningKeyState::kActive: return "active";
    case SigningKeyState::kNext: return "next";
    case SigningKeyState::kVerifying: return "verifying";
    case SigningKeyState::kRetired: return "retired";
  }
  return "retired";
}

KeySchedule scheduleKeys(std::span<const SigningKeyRecord> keys, UnixMillis now) {
  KeySchedule schedule;
  schedule.states.reserve(keys.size());
  const auto noteChange = [&](UnixMillis at) {
    if (at > now && (!schedule.nextChange || at < *schedule.nextChange)) schedule.nextChange = at;
  };
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const SigningKeyRecord& key = keys[i];
    noteChange(key.activatesAt);
    if (key.retiresAt) noteChange(*key.retiresAt);
    if (retiredAt(key, now)) {
      schedule.states.push_back(SigningKeyState::kRetired);
    } else if (key.activatesAt > now) {
      schedule.states.push_back(SigningKeyState::kNext);
    } else {
      schedule.states.push_back(SigningKeyState::kVerifying);
      if (!schedule.active || newer(key, keys[*schedule.active])) schedule.active = i;
    }
  }
  if (schedule.active) schedule.states[*schedule.active] = SigningKeyState::kActive;
  return schedule;
}

Result<std::optional<std::string>> ensureSigningKey(Store& store, const Clock& clock,
                                                    const std::filesystem::path& legacyKeyFile) {
  auto existing = store.listSigningKeys();
  if (!existing.ok()) return std::move(existing).takeStatus();
  if (!existing->empty()) return std::optional<std::string>();
  auto legacy = auth::SigningKey::readPemFile(legacyKeyFile);
  if (!legacy.ok()) return std::move(legacy).takeStatus();
  std::string pem;
  if (legacy->has_value()) {
    // Checked here, so a broken file stops the start with its name rather
    // than landing in the database.
    auto parsed = auth::SigningKey::fromPem(**legacy, legacyKeyFile.string());
    if (!parsed.ok()) return std::move(parsed).takeStatus();
    pem = std::move(**legacy);
  } else {
    auto generated = auth::SigningKey::generatePem();
    if (!generated.ok()) return std::move(generated).takeStatus();
    pem = std::move(*generated);
  }
  const UnixMillis now = clock.now();
  auto record = newKeyRecord(std::move(pem), now, now);
  if (!record.ok()) return std::move(record).takeStatus();
  auto inserted = store.insertFirstSigningKey(*record);
  if (!inserted.ok()) return std::move(inserted).takeStatus();
  if (!*inserted) return std::optional<std::string>();  // another process stored the first key
  return std::optional<std::string>(record->kid);
}

Result<Rotation> rotateSigningKey(Store& store, const Clock& clock, std::int64_t activateAfterMs) {
  if (activateAfterMs < 0) return invalidArgument("the activation delay must not be negative");
  auto existing = store.listSigningKeys();
  if (!existing.ok()) return std::move(existing).takeStatus();
  const UnixMillis now = clock.now();
  const KeySchedule schedule = scheduleKeys(*existing, now);

  auto pem = auth::SigningKey::generatePem();
  if (!pem.ok()) return std::move(pem).takeStatus();
  auto record = newKeyRecord(std::move(*pem), now, now + activateAfterMs);
  if (!record.ok()) return std::move(record).takeStatus();

  Rotation rotation;
  if (schedule.active) {
    rotation.retiring = SigningKeyRetirement{.kid = (*existing)[*schedule.active].kid,
                                             .at = record->activatesAt + kMaxPushTokenLifetimeMs};
  }
  LS_RETURN_IF_ERROR(store.insertSigningKey(*record, rotation.retiring));
  rotation.added = std::move(*record);
  rotation.added.privateKeyPem.clear();
  return rotation;
}

}  // namespace ls::control
