//! Function Compute's facts that cargo fc relies on, in one place: the custom runtimes and what
//! each one's operating system provides, FC's limits, the paths a package lands in, and the
//! names of the protocol's headers and environment variables.
//!
//! docs/platform.md says where each fact comes from; the verifier, the builders, the template
//! checker, the local emulator and the deployer all read them from here.

use std::time::Duration;

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

/// docs/platform.md#runtimes. glibc versions are Debian's package versions; libstdc++ versions
/// are those of each release's GCC (6, 8, 10 and 12).
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

/// The runtime id of custom containers, which run an image instead of a zip.
pub const CONTAINER_RUNTIME: &str = "custom-container";

/// Every runtime id FC's tools take (docs/platform.md#runtimes): the custom ones above, custom
/// containers and micro-sandboxes, and the language runtimes of FC 3.0 and 2.0.
pub const FC_RUNTIMES: &[&str] = &[
    "custom",
    "custom.debian10",
    "custom.debian11",
    "custom.debian12",
    "custom-container",
    "micro-sandbox",
    "nodejs4.4",
    "nodejs6",
    "nodejs8",
    "nodejs10",
    "nodejs12",
    "nodejs14",
    "nodejs16",
    "nodejs18",
    "nodejs20",
    "python2.7",
    "python3",
    "python3.9",
    "python3.10",
    "python3.12",
    "java8",
    "java11",
    "php7.2",
    "dotnetcore2.1",
    "dotnetcore3.1",
    "go1",
];

/// The runtimes Fun's template schema lists; `fun deploy` refuses others (FC takes them).
pub const FUN_RUNTIMES: &[&str] = &[
    "nodejs6",
    "nodejs8",
    "nodejs10",
    "nodejs12",
    "python2.7",
    "python3",
    "java8",
    "java11",
    "php7.2",
    "dotnetcore2.1",
    "custom",
    "custom-container",
];

/// The dynamic loader every x86-64 glibc executable names as its ELF interpreter; the runtimes
/// have it at exactly this path (docs/platform.md#runtimes).
pub const ELF_INTERPRETER: &str = "/lib64/ld-linux-x86-64.so.2";

/// Where FC unpacks the package, and what it starts when no command is configured
/// (docs/platform.md#the-package).
pub const CODE_DIR: &str = "/code";
pub const BOOTSTRAP: &str = "/code/bootstrap";
/// The package folders on the runtime's `LD_LIBRARY_PATH`, relative to the package root: a
/// library shipped at the root or under `lib/` is found.
pub const LIBRARY_DIRS: &[&str] = &["", "lib"];

/// Package sizes (docs/platform.md#the-package): what the API takes inline, and what FC takes
/// at all (through OSS or the tools).
pub const INLINE_CODE_LIMIT: u64 = 100 * 1000 * 1000;
pub const PACKAGE_LIMIT: u64 = 500 * 1000 * 1000;

/// Custom-container images (docs/platform.md#custom-container-images): FC pulls images of at
/// most 10 GB uncompressed for CPU instances, and only linux/amd64 ones.
pub const IMAGE_SIZE_LIMIT: u64 = 10 * 1000 * 1000 * 1000;
pub const IMAGE_OS: &str = "linux";
pub const IMAGE_ARCHITECTURE: &str = "amd64";
/// The registries FC pulls from: Alibaba Cloud Container Registry's domains.
pub const IMAGE_REGISTRY_SUFFIX: &str = ".aliyuncs.com";

/// A numeric setting's documented range (docs/platform.md#limits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub min: i64,
    pub max: i64,
    /// Values must be `min + k * step`.
    pub step: Option<i64>,
}

impl Range {
    const fn new(min: i64, max: i64) -> Self {
        Self {
            min,
            max,
            step: None,
        }
    }

    pub fn contains(&self, value: i64) -> bool {
        (self.min..=self.max).contains(&value)
            && self.step.is_none_or(|step| (value - self.min) % step == 0)
    }
}

/// Memory size in MB, in steps of 64.
pub const MEMORY_MB: Range = Range {
    min: 128,
    max: 32768,
    step: Some(64),
};
/// Fun accepted only these sizes above 3072 MB.
pub const FUN_LARGE_MEMORY_MB: &[i64] = &[4096, 8192, 16384, 32768];
/// Timeout in seconds.
pub const TIMEOUT_S: Range = Range::new(1, 86400);
/// Initializer timeout in seconds.
pub const INITIALIZATION_TIMEOUT_S: Range = Range::new(1, 300);
/// PreStop and PreFreeze hook timeouts in seconds.
pub const HOOK_TIMEOUT_S: Range = Range::new(1, 90);
pub const PORT: Range = Range::new(1, 65535);
/// Requests one instance serves at once: FC 3.0, and FC 2.0 (Fun, Serverless Devs 1.0.0).
pub const FC3_CONCURRENCY: Range = Range::new(1, 200);
pub const FC2_CONCURRENCY: Range = Range::new(1, 100);

/// What FC assumes for a function that says nothing (docs/platform.md#defaults).
pub const DEFAULT_MEMORY_MB: u64 = 128;
pub const DEFAULT_TIMEOUT_S: f64 = 3.0;
pub const DEFAULT_INITIALIZATION_TIMEOUT_S: f64 = 3.0;
pub const DEFAULT_PORT: u16 = 9000;
pub const DEFAULT_HANDLER: &str = "index.handler";

/// Handler-like strings: cargo fc's rule (FC documents none), 1–128 characters from this set.
/// `/` is there because the Node.js and Python runtimes load `dir/file.function`.
pub const HANDLER_MAX: usize = 128;
pub fn is_handler_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_.-:/".contains(c)
}

/// Function names (docs/platform.md#names): `^[_a-zA-Z][-_a-zA-Z0-9]*$`, at most 64 characters;
/// FC 2.0 service names follow the same rule with up to 128.
pub const FUNCTION_NAME_MAX: usize = 64;
pub const SERVICE_NAME_MAX: usize = 128;
/// The rule as a user reads it, for help lines.
pub const NAME_RULE: &str = "letters, digits, `_` and `-`, starting with a letter or `_`";

/// The help line for a refused function name.
pub fn function_name_help() -> String {
    format!("FC function names are 1–{FUNCTION_NAME_MAX} characters of {NAME_RULE}")
}

/// What is wrong with a name that FC would refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    Empty,
    BadStart(char),
    BadChar(char),
    TooLong(usize),
}

impl std::fmt::Display for NameProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameProblem::Empty => f.write_str("is empty"),
            NameProblem::BadStart(c) => write!(f, "starts with `{c}`"),
            NameProblem::BadChar(c) => write!(f, "contains `{c}`"),
            NameProblem::TooLong(length) => write!(f, "is {length} characters long"),
        }
    }
}

/// Why `name` cannot name an FC function (`max` [`FUNCTION_NAME_MAX`]) or FC 2.0 service
/// ([`SERVICE_NAME_MAX`]).
pub fn name_problem(name: &str, max: usize) -> Option<NameProblem> {
    match name.chars().next() {
        None => return Some(NameProblem::Empty),
        Some(c) if !(c.is_ascii_alphabetic() || c == '_') => return Some(NameProblem::BadStart(c)),
        _ => {}
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Some(NameProblem::BadChar(c));
    }
    let length = name.chars().count();
    (length > max).then_some(NameProblem::TooLong(length))
}

/// The runtime protocol (docs/platform.md#the-http-protocol).
pub mod protocol {
    use super::Duration;

    /// How long a runtime has to start listening.
    pub const START_DEADLINE: Duration = Duration::from_secs(120);
    /// A synchronous invocation's body, and what a function may answer.
    pub const SYNC_BODY_LIMIT: usize = 32 * 1024 * 1024;
    /// An asynchronous invocation's body.
    pub const ASYNC_BODY_LIMIT: usize = 128 * 1024;
    /// `x-fc-log-result` carries at most this much of the invocation's log.
    pub const LOG_TAIL_LIMIT: usize = 4096;
    /// The path prefix FC 2.0 gives HTTP triggers reached without a custom domain.
    pub const FC2_PROXY_PREFIX: &str = "/2016-08-15/proxy";

    pub const CONTROL_PATH: &str = "x-fc-control-path";
    pub const INVOKE: &str = "/invoke";
    pub const HTTP_INVOKE: &str = "/http-invoke";
    pub const INITIALIZE: &str = "/initialize";
    pub const PRE_STOP: &str = "/pre-stop";
    pub const PRE_FREEZE: &str = "/pre-freeze";

    /// A function reports failure with this header set to 404; an absent header counts as
    /// success.
    pub const STATUS: &str = "x-fc-status";
    pub const REQUEST_ID: &str = "x-fc-request-id";
    pub const LOG_TYPE: &str = "x-fc-log-type";
    pub const LOG_RESULT: &str = "x-fc-log-result";
    pub const BASE_PATH: &str = "x-fc-base-path";
    /// InvokeFunction's `Sync` (the default) or `Async`.
    pub const INVOCATION_TYPE: &str = "x-fc-invocation-type";
    /// InvokeFunction's answer when the function failed: 200 with this header and the
    /// function's error JSON as the body.
    pub const ERROR_TYPE: &str = "x-fc-error-type";
    /// Every failure but a Node.js callback's error (which is `HandledInvocationError`).
    pub const UNHANDLED_ERROR: &str = "UnhandledInvocationError";

    /// The environment variables the runtime reads for its port, in order.
    pub const PORT_VARIABLES: &[&str] = &["FC_SERVER_PORT", "FC_CUSTOM_LISTEN_PORT"];
    /// Custom containers without a web server get the event here and run once.
    pub const CONTAINER_EVENT_VARIABLE: &str = "FC_CUSTOM_CONTAINER_EVENT";
}

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
    fn function_names_follow_fc_rules() {
        let problem = |name: &str| name_problem(name, FUNCTION_NAME_MAX);
        assert_eq!(problem("hello-world_1"), None);
        assert_eq!(problem("_x"), None);
        assert_eq!(problem("1abc"), Some(NameProblem::BadStart('1')));
        assert_eq!(problem("a.b"), Some(NameProblem::BadChar('.')));
        assert_eq!(problem(&"a".repeat(65)), Some(NameProblem::TooLong(65)));
        assert_eq!(name_problem(&"a".repeat(65), SERVICE_NAME_MAX), None);
        assert_eq!(problem(""), Some(NameProblem::Empty));
    }

    #[test]
    fn ranges_respect_their_step() {
        assert!(MEMORY_MB.contains(128));
        assert!(MEMORY_MB.contains(192));
        assert!(!MEMORY_MB.contains(200));
        assert!(!MEMORY_MB.contains(32768 + 64));
        assert!(TIMEOUT_S.contains(86400));
        assert!(!TIMEOUT_S.contains(0));
    }

    #[test]
    fn runtimes_are_ordered_by_release_and_glibc() {
        for pair in RUNTIMES.windows(2) {
            assert!(pair[0].debian_version < pair[1].debian_version);
            assert!(pair[0].glibc < pair[1].glibc);
        }
    }
}
