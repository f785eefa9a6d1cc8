#include "store/sqlite/fault_vfs.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <utility>

#include "store/sqlite/connection.hpp"

namespace ls::sqlite {

namespace {

StorageFault readControlFile(const std::filesystem::path& file) {
  // Plain POSIX calls: this runs inside SQLite's own file operations.
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return StorageFault::kNone;
  char buf[64];
  const ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  return n > 0 ? parseStorageFault(std::string_view(buf, static_cast<std::size_t>(n))) : StorageFault::kNone;
}

}  // namespace

struct FaultVfs::Impl {
  sqlite3_vfs vfs{};
  sqlite3_vfs* base = nullptr;
  std::string name;
  std::filesystem::path controlFile;  // empty: `fault` decides
  std::atomic<StorageFault> fault{StorageFault::kNone};

  [[nodiscard]] StorageFault current() const {
    return controlFile.empty() ? fault.load(std::memory_order_relaxed) : readControlFile(controlFile);
  }
};

namespace {

// What SQLite allocates per open file (szOsFile): this header, then the
// wrapped VFS's own file object.
struct FaultFile {
  sqlite3_file base;  // first, so SQLite's sqlite3_file* is a FaultFile*
  FaultVfs::Impl* owner;
  sqlite3_file* real;
};

FaultFile* self(sqlite3_file* f) {
  return reinterpret_cast<FaultFile*>(f);
}
sqlite3_file* real(sqlite3_file* f) {
  return self(f)->real;
}
const sqlite3_io_methods& io(sqlite3_file* f) {
  return *real(f)->pMethods;
}

int fileClose(sqlite3_file* f) {
  return io(f).xClose(real(f));
}
int fileRead(sqlite3_file* f, void* buf, int n, sqlite3_int64 offset) {
  return io(f).xRead(real(f), buf, n, offset);
}
int fileWrite(sqlite3_file* f, const void* buf, int n, sqlite3_int64 offset) {
  switch (self(f)->owner->current()) {
    case StorageFault::kFull: return SQLITE_FULL;
    case StorageFault::kReadOnly: return SQLITE_READONLY;
    case StorageFault::kNone: break;
  }
  return io(f).xWrite(real(f), buf, n, offset);
}
int fileTruncate(sqlite3_file* f, sqlite3_int64 size) {
  // Truncating frees blocks, so a full disk allows it; a read-only one does not.
  if (self(f)->owner->current() == StorageFault::kReadOnly) return SQLITE_READONLY;
  return io(f).xTruncate(real(f), size);
}
int fileSync(sqlite3_file* f, int flags) {
  return io(f).xSync(real(f), flags);
}
int fileSize(sqlite3_file* f, sqlite3_int64* size) {
  return io(f).xFileSize(real(f), size);
}
int fileLock(sqlite3_file* f, int level) {
  return io(f).xLock(real(f), level);
}
int fileUnlock(sqlite3_file* f, int level) {
  return io(f).xUnlock(real(f), level);
}
int fileCheckReservedLock(sqlite3_file* f, int* out) {
  return io(f).xCheckReservedLock(real(f), out);
}
int fileControl(sqlite3_file* f, int op, void* arg) {
  return io(f).xFileControl(real(f), op, arg);
}
int fileSectorSize(sqlite3_file* f) {
  return io(f).xSectorSize(real(f));
}
int fileDeviceCharacteristics(sqlite3_file* f) {
  return io(f).xDeviceCharacteristics(real(f));
}
// Shared memory (the WAL index) and memory-mapped reads are passed through:
// the faults concern durable writes only.
int fileShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  if (io(f).iVersion < 2) return SQLITE_IOERR_SHMMAP;
  return io(f).xShmMap(real(f), page, size, extend, out);
}
int fileShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return io(f).iVersion < 2 ? SQLITE_IOERR_SHMLOCK : io(f).xShmLock(real(f), offset, n, flags);
}
void fileShmBarrier(sqlite3_file* f) {
  if (io(f).iVersion >= 2) io(f).xShmBarrier(real(f));
}
int fileShmUnmap(sqlite3_file* f, int deleteFlag) {
  return io(f).iVersion < 2 ? SQLITE_OK : io(f).xShmUnmap(real(f), deleteFlag);
}
int fileFetch(sqlite3_file* f, sqlite3_int64 offset, int n, void** out) {
  if (io(f).iVersion < 3) {
    *out = nullptr;  // "no mapping": SQLite falls back to xRead
    return SQLITE_OK;
  }
  return io(f).xFetch(real(f), offset, n, out);
}
int fileUnfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
  return io(f).iVersion < 3 ? SQLITE_OK : io(f).xUnfetch(real(f), offset, p);
}

constexpr sqlite3_io_methods kFileMethods = {
    3,
    fileClose,
    fileRead,
    fileWrite,
    fileTruncate,
    fileSync,
    fileSize,
    fileLock,
    fileUnlock,
    fileCheckReservedLock,
    fileControl,
    fileSectorSize,
    fileDeviceCharacteristics,
    fileShmMap,
    fileShmLock,
    fileShmBarrier,
    fileShmUnmap,
    fileFetch,
    fileUnfetch,
};

FaultVfs::Impl& owner(sqlite3_vfs* vfs) {
  return *static_cast<FaultVfs::Impl*>(vfs->pAppData);
}
sqlite3_vfs* base(sqlite3_vfs* vfs) {
  return owner(vfs).base;
}

int vfsOpen(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* outFlags) {
  FaultFile* f = self(file);
  f->base.pMethods = nullptr;  // SQLite calls xClose only when this is set
  f->owner = &owner(vfs);
  f->real = reinterpret_cast<sqlite3_file*>(f + 1);
  if ((flags & SQLITE_OPEN_MAIN_DB) != 0 && (flags & SQLITE_OPEN_READWRITE) != 0 &&
      f->owner->current() == StorageFault::kReadOnly) {
    // What the unix VFS does when open(O_RDWR) fails with EACCES or EROFS: it
    // opens read-only and says so in the out-flags; the pager then refuses writes.
    flags = (flags & ~(SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_READONLY;
  }
  const int rc = base(vfs)->xOpen(base(vfs), name, f->real, flags, outFlags);
  if (f->real->pMethods != nullptr) f->base.pMethods = &kFileMethods;
  return rc;
}
int vfsDelete(sqlite3_vfs* vfs, const char* name, int syncDir) {
  return base(vfs)->xDelete(base(vfs), name, syncDir);
}
int vfsAccess(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return base(vfs)->xAccess(base(vfs), name, flags, out);
}
int vfsFullPathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return base(vfs)->xFullPathname(base(vfs), name, n, out);
}
void* vfsDlOpen(sqlite3_vfs* vfs, const char* name) {
  return base(vfs)->xDlOpen(base(vfs), name);
}
void vfsDlError(sqlite3_vfs* vfs, int n, char* out) {
  base(vfs)->xDlError(base(vfs), n, out);
}
void (*vfsDlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))() {
  return base(vfs)->xDlSym(base(vfs), handle, symbol);
}
void vfsDlClose(sqlite3_vfs* vfs, void* handle) {
  base(vfs)->xDlClose(base(vfs), handle);
}
int vfsRandomness(sqlite3_vfs* vfs, int n, char* out) {
  return base(vfs)->xRandomness(base(vfs), n, out);
}
int vfsSleep(sqlite3_vfs* vfs, int micros) {
  return base(vfs)->xSleep(base(vfs), micros);
}
int vfsCurrentTime(sqlite3_vfs* vfs, double* out) {
  return base(vfs)->xCurrentTime(base(vfs), out);
}
int vfsGetLastError(sqlite3_vfs* vfs, int n, char* out) {
  return base(vfs)->xGetLastError(base(vfs), n, out);
}
int vfsCurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return base(vfs)->xCurrentTimeInt64(base(vfs), out);
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

}  // namespace

StorageFault parseStorageFault(std::string_view text) {
  const std::string_view t = trim(text);
  if (t == "full") return StorageFault::kFull;
  if (t == "readonly") return StorageFault::kReadOnly;
  return StorageFault::kNone;
}

Result<std::unique_ptr<FaultVfs>> FaultVfs::create(std::string name) {
  return createControlledBy(std::move(name), {});
}

Result<std::unique_ptr<FaultVfs>> FaultVfs::createControlledBy(std::string name, std::filesystem::path controlFile) {
  configureLibraryOnce();  // before sqlite3_vfs_find initializes the library
  sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
  if (base == nullptr) return internalError("SQLite has no default VFS to wrap");
  if (sqlite3_vfs_find(name.c_str()) != nullptr) return invalidArgument("SQLite VFS " + name + " already exists");
  auto impl = std::make_unique<Impl>();
  impl->base = base;
  impl->name = std::move(name);
  impl->controlFile = std::move(controlFile);
  sqlite3_vfs& v = impl->vfs;
  v.iVersion = base->iVersion >= 2 ? 2 : 1;  // version 3 only adds system-call overrides
  v.szOsFile = static_cast<int>(sizeof(FaultFile)) + base->szOsFile;
  v.mxPathname = base->mxPathname;
  v.zName = impl->name.c_str();
  v.pAppData = impl.get();
  v.xOpen = vfsOpen;
  v.xDelete = vfsDelete;
  v.xAccess = vfsAccess;
  v.xFullPathname = vfsFullPathname;
  v.xDlOpen = vfsDlOpen;
  v.xDlError = vfsDlError;
  v.xDlSym = vfsDlSym;
  v.xDlClose = vfsDlClose;
  v.xRandomness = vfsRandomness;
  v.xSleep = vfsSleep;
  v.xCurrentTime = vfsCurrentTime;
  v.xGetLastError = vfsGetLastError;
  if (v.iVersion >= 2) v.xCurrentTimeInt64 = vfsCurrentTimeInt64;
  const int rc = sqlite3_vfs_register(&v, 0);
  if (rc != SQLITE_OK) return internalError(std::string("register SQLite VFS: ") + sqlite3_errstr(rc));
  return std::unique_ptr<FaultVfs>(new FaultVfs(std::move(impl)));
}

FaultVfs::FaultVfs(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}

FaultVfs::~FaultVfs() {
  sqlite3_vfs_unregister(&impl_->vfs);
}

const std::string& FaultVfs::name() const noexcept {
  return impl_->name;
}

void FaultVfs::set(StorageFault fault) noexcept {
  impl_->fault.store(fault, std::memory_order_relaxed);
}

StorageFault FaultVfs::current() const {
  return impl_->current();
}

}  // namespace ls::sqlite
