//! The FC custom runtimes cargo fc builds for, and what each one's operating system provides.
//!
//! This table is the only place these facts are written down (FC-FACTS: runtimes); the verifier,
//! the builders and the template checker all read them from here.

use std::fmt;

/// A `GLIBC_x.y`-style version: major and minor, compared numerically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SymbolVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl SymbolVersion {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Self {
            major,
            minor,
            patch,
        }
    }

    /// Parses the numeric part of a version such as `2.17`, `3.4.22` or `1.3.11`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split('.').map(|p| p.parse::<u32>().ok());
        let major = parts.next()??;
        let minor = parts.next().unwrap_or(Some(0))?;
        let patch = parts.next().unwrap_or(Some(0))?;
        if parts.next().is_some() {
            return None;
        }
        Some(Self::new(major, minor, patch))
    }
}

impl fmt::Display for SymbolVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.patch == 0 {
            write!(f, "{}.{}", self.major, self.minor)
        } else {
            write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
        }
    }
}

/// One FC custom runtime.
#[derive(Debug, PartialEq, Eq)]
pub struct Runtime {
    /// The id FC and the templates use, e.g. `custom.debian10`.
    pub id: &'static str,
    /// Debian release number of the runtime's operating system.
    pub debian_version: u32,
    /// Debian codename, which is also the tag of the `debian` base image.
    pub debian_codename: &'static str,
    /// Whether Debian serves this release only from its archive mirror.
    pub debian_archived: bool,
    /// Highest `GLIBC_` symbol version the runtime's C library defines.
    pub glibc: SymbolVersion,
    /// Highest `GLIBCXX_` version of the runtime's libstdc++.
    pub glibcxx: SymbolVersion,
    /// Highest `CXXABI_` version of the runtime's libstdc++.
    pub cxxabi: SymbolVersion,
    /// Major version of the release's GCC, the C compiler and linker driver its builder image has.
    pub gcc_major: u32,
    /// Whether FC offers it generally (the Debian 12 runtime is a preview in some regions).
    pub preview: bool,
}

/// Shared libraries every custom runtime's Debian base system ships: glibc's own libraries, the
/// GCC runtime libraries and zlib (all `Priority: required` in Debian).
pub const SYSTEM_LIBRARIES: &[&str] = &[
    "ld-linux-x86-64.so.2",
    "libc.so.6",
    "libm.so.6",
    "libdl.so.2",
    "libpthread.so.0",
    "librt.so.1",
    "libutil.so.1",
    "libresolv.so.2",
    "libnsl.so.1",
    "libcrypt.so.1",
    "libanl.so.1",
    "libgcc_s.so.1",
    "libstdc++.so.6",
    "libz.so.1",
];

/// FC-FACTS: runtimes. glibc versions are Debian's package versions; libstdc++ versions are those
/// of each release's GCC (6, 8, 10 and 12).
pub const RUNTIMES: &[Runtime] = &[
    Runtime {
        id: "custom",
        debian_version: 9,
        debian_codename: "stretch",
        debian_archived: true,
        glibc: SymbolVersion::new(2, 24, 0),
        glibcxx: SymbolVersion::new(3, 4, 22),
        cxxabi: SymbolVersion::new(1, 3, 11),
        gcc_major: 6,
        preview: false,
    },
    Runtime {
        id: "custom.debian10",
        debian_version: 10,
        debian_codename: "buster",
        debian_archived: true,
        glibc: SymbolVersion::new(2, 28, 0),
        glibcxx: SymbolVersion::new(3, 4, 25),
        cxxabi: SymbolVersion::new(1, 3, 11),
        gcc_major: 8,
        preview: false,
    },
    Runtime {
        id: "custom.debian11",
        debian_version: 11,
        debian_codename: "bullseye",
        debian_archived: false,
        glibc: SymbolVersion::new(2, 31, 0),
        glibcxx: SymbolVersion::new(3, 4, 28),
        cxxabi: SymbolVersion::new(1, 3, 12),
        gcc_major: 10,
        preview: false,
    },
    Runtime {
        id: "custom.debian12",
        debian_version: 12,
        debian_codename: "bookworm",
        debian_archived: false,
        glibc: SymbolVersion::new(2, 36, 0),
        glibcxx: SymbolVersion::new(3, 4, 30),
        cxxabi: SymbolVersion::new(1, 3, 13),
        gcc_major: 12,
        preview: true,
    },
];

/// The runtime cargo fc builds for when nothing says otherwise.
pub const DEFAULT_RUNTIME: &str = "custom";

/// Debian packages every Docker builder image installs: a C compiler and the C library's headers
/// (Rust links through `cc`, and `-sys` crates compile C), pkg-config (how `-sys` crates find
/// system libraries) and the CA certificates (so build scripts can fetch over HTTPS).
pub const BUILDER_PACKAGES: &[&str] = &["gcc", "libc6-dev", "pkg-config", "ca-certificates"];

/// Where Debian serves the releases marked `debian_archived`.
pub const DEBIAN_ARCHIVE_MIRROR: &str = "http://archive.debian.org/debian";

impl Runtime {
    /// Looks a runtime up by its FC id.
    pub fn find(id: &str) -> Option<&'static Runtime> {
        RUNTIMES.iter().find(|r| r.id == id)
    }

    pub fn default_runtime() -> &'static Runtime {
        Self::find(DEFAULT_RUNTIME).expect("the default runtime is in the table")
    }

    /// The ids, for error messages and `--help`.
    pub fn ids() -> Vec<&'static str> {
        RUNTIMES.iter().map(|r| r.id).collect()
    }

    /// Whether the runtime's OS ships a shared library of this soname.
    pub fn provides_library(&self, soname: &str) -> bool {
        SYSTEM_LIBRARIES.contains(&soname)
    }

    /// The cargo-zigbuild target that pins glibc to this runtime's version.
    pub fn zig_target(&self) -> String {
        format!(
            "x86_64-unknown-linux-gnu.{}.{}",
            self.glibc.major, self.glibc.minor
        )
    }
}

impl fmt::Display for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_runtime_is_debian_9_with_glibc_2_24() {
        let runtime = Runtime::default_runtime();
        assert_eq!(runtime.debian_codename, "stretch");
        assert_eq!(runtime.glibc, SymbolVersion::new(2, 24, 0));
        assert_eq!(runtime.zig_target(), "x86_64-unknown-linux-gnu.2.24");
    }

    #[test]
    fn versions_order_numerically() {
        let v = |s| SymbolVersion::parse(s).unwrap();
        assert!(v("2.9") < v("2.24"));
        assert!(v("3.4.9") < v("3.4.22"));
        assert_eq!(v("2.2.5").to_string(), "2.2.5");
        assert_eq!(SymbolVersion::parse("2.x"), None);
        assert_eq!(SymbolVersion::parse(""), None);
    }

    #[test]
    fn runtimes_are_ordered_by_release_and_glibc() {
        for pair in RUNTIMES.windows(2) {
            assert!(pair[0].debian_version < pair[1].debian_version);
            assert!(pair[0].glibc < pair[1].glibc);
        }
    }
}
