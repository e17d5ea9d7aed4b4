//! Which function a request to `local start` is for, as FC decides it: FC 3.0's InvokeFunction
//! path, FC 2.0's system path of an HTTP trigger, a custom domain's routes (the template's, and
//! `--route`'s over them), and, when one function is served over HTTP, every other path.

use crate::platform::protocol;

/// `--route PATH=FUNCTION`: a custom-domain-style route, as FC writes a route's path (`/api/*`
/// takes every path under `/api/`, `/*` every path, any other path only itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub path: String,
    pub function: String,
}

impl Route {
    /// `PATH=FUNCTION`; the path must start with `/`.
    pub fn parse(text: &str) -> Option<Route> {
        let (path, function) = text.rsplit_once('=')?;
        (path.starts_with('/') && !function.is_empty()).then(|| Route {
            path: path.to_string(),
            function: function.to_string(),
        })
    }
}

/// Where a request goes.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Target<'p> {
    /// `POST /2023-03-30/functions/{name}/invocations`.
    Invoke { function: &'p str },
    /// A path of FC's API this emulator does not serve.
    OtherApi,
    /// An HTTP trigger: the function (an index into the served functions) and the base path
    /// FC sends in `x-fc-base-path` (empty when there is none).
    Http { index: usize, base_path: String },
    /// FC 2.0's system path naming a function that is not served, or not over HTTP.
    NoTrigger { function: String },
    /// No route takes the path.
    NotFound,
}

/// What the router knows of one served function.
pub(super) struct Served<'a> {
    pub name: &'a str,
    pub service: &'a str,
    /// Reached over HTTP at its system path: it has an HTTP trigger, or it is the only function.
    pub http: bool,
    /// The template's custom-domain routes to it.
    pub routes: Vec<&'a str>,
}

pub(super) struct Router {
    names: Vec<(String, String, bool)>,
    /// Route path patterns and the function each leads to, `--route`'s first.
    routes: Vec<(String, usize)>,
    /// The function every path no route takes goes to.
    root: Option<usize>,
}

/// The FC 3.0 API's version prefix.
pub(super) const API_PREFIX: &str = "/2023-03-30/";

impl Router {
    /// `Err(route)` when a `--route` names no served function.
    pub fn new(served: &[Served], extra: &[Route]) -> std::result::Result<Router, Route> {
        let index = |name: &str| served.iter().position(|s| s.name == name);
        let mut routes = Vec::new();
        for route in extra {
            let Some(i) = index(&route.function) else {
                return Err(route.clone());
            };
            routes.push((route.path.clone(), i));
        }
        for (i, function) in served.iter().enumerate() {
            routes.extend(function.routes.iter().map(|path| (path.to_string(), i)));
        }
        let http: Vec<usize> = (0..served.len()).filter(|&i| served[i].http).collect();
        let root = match http.as_slice() {
            [only] => Some(*only),
            _ => None,
        };
        Ok(Router {
            names: served
                .iter()
                .map(|s| (s.name.to_string(), s.service.to_string(), s.http))
                .collect(),
            routes,
            root,
        })
    }

    pub fn root(&self) -> Option<usize> {
        self.root
    }

    pub fn routes(&self) -> impl Iterator<Item = (&str, usize)> {
        self.routes.iter().map(|(p, i)| (p.as_str(), *i))
    }

    /// Where a request for `path` goes; `host` is its Host header. `<function>.localhost`
    /// reaches that function's HTTP trigger at any path, as FC 3.0's per-function trigger URL
    /// (`https://<function>-….fcapp.run/`) does, and needs no DNS: `*.localhost` is loopback.
    pub fn target<'p>(&self, path: &'p str, host: Option<&str>) -> Target<'p> {
        if let Some(rest) = path.strip_prefix(API_PREFIX) {
            return match rest.strip_prefix("functions/").and_then(|r| {
                r.strip_suffix("/invocations")
                    .filter(|name| !name.is_empty() && !name.contains('/'))
            }) {
                Some(function) => Target::Invoke { function },
                None => Target::OtherApi,
            };
        }
        if let Some(rest) = path
            .strip_prefix(protocol::FC2_PROXY_PREFIX)
            .and_then(|r| r.strip_prefix('/'))
        {
            let mut parts = rest.splitn(3, '/');
            let (service, function) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let found = self.names.iter().position(|(name, own, http)| {
                name == function && *http && (own.is_empty() || own == service)
            });
            return match found {
                Some(index) => Target::Http {
                    index,
                    base_path: format!("{}/{service}/{function}/", protocol::FC2_PROXY_PREFIX),
                },
                None => Target::NoTrigger {
                    function: function.to_string(),
                },
            };
        }
        if let Some(index) = host.and_then(|host| self.by_host(host)) {
            return Target::Http {
                index,
                base_path: String::new(),
            };
        }
        let best = self
            .routes
            .iter()
            .filter_map(|(pattern, i)| route_rank(pattern, path).map(|rank| (rank, *i)))
            .max_by_key(|(rank, _)| *rank);
        match best.map(|(_, i)| i).or(self.root) {
            Some(index) => Target::Http {
                index,
                base_path: String::new(),
            },
            None => Target::NotFound,
        }
    }
}

impl Router {
    fn by_host(&self, host: &str) -> Option<usize> {
        let name = host.split(':').next()?.strip_suffix(".localhost")?;
        self.names
            .iter()
            .position(|(function, _, http)| *http && function.eq_ignore_ascii_case(name))
    }
}

/// How well a route's path takes `path`, when it does: an exact path beats any prefix, a longer
/// prefix a shorter one (FC's custom domains match so).
fn route_rank(pattern: &str, path: &str) -> Option<(bool, usize)> {
    match pattern.strip_suffix("/*") {
        // docs/platform.md#custom-domains: `/login/*` takes `/login/a`, `/login/`, not `/login`.
        Some(prefix) => path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
            .then_some((false, prefix.len())),
        None => (pattern == path).then_some((true, pattern.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served<'a>(name: &'a str, http: bool, routes: Vec<&'a str>) -> Served<'a> {
        Served {
            name,
            service: "svc",
            http,
            routes,
        }
    }

    #[test]
    fn api_system_path_routes_and_the_root_each_find_their_function() {
        let router = Router::new(
            &[
                served("web", true, vec!["/api/*", "/exact"]),
                served("events", false, vec![]),
            ],
            &[Route::parse("/events/*=events").unwrap()],
        )
        .unwrap();
        assert_eq!(
            router.target("/2023-03-30/functions/events/invocations", None),
            Target::Invoke { function: "events" }
        );
        assert_eq!(
            router.target("/2023-03-30/functions", None),
            Target::OtherApi
        );
        assert_eq!(
            router.target("/2016-08-15/proxy/svc/web/users/1", None),
            Target::Http {
                index: 0,
                base_path: "/2016-08-15/proxy/svc/web/".into()
            }
        );
        // An event function has no HTTP trigger; another service's function is not this one.
        for path in [
            "/2016-08-15/proxy/svc/events/",
            "/2016-08-15/proxy/other/web/",
        ] {
            assert!(
                matches!(router.target(path, None), Target::NoTrigger { .. }),
                "{path}"
            );
        }
        let http = |index| Target::Http {
            index,
            base_path: String::new(),
        };
        assert_eq!(router.target("/api/", None), http(0));
        assert_eq!(router.target("/api/x/y", None), http(0));
        assert_eq!(router.target("/events/a", None), http(1));
        assert_eq!(router.target("/exact", None), http(0));
        // The only function with an HTTP trigger takes the rest; `/api/*` is not `/api`.
        assert_eq!(router.target("/apix", None), http(0));
        let events = Router::new(&[served("e", false, vec!["/e/*"])], &[]).unwrap();
        assert_eq!(events.target("/e", None), Target::NotFound);
        assert!(matches!(
            events.target("/e/x", None),
            Target::Http { index: 0, .. }
        ));
        assert_eq!(router.target("/", None), http(0));
    }

    #[test]
    fn one_http_function_takes_every_path_and_exact_routes_beat_prefixes() {
        let router = Router::new(&[served("web", true, vec![])], &[]).unwrap();
        assert_eq!(router.root(), Some(0));
        assert!(matches!(
            router.target("/any/thing", None),
            Target::Http { index: 0, .. }
        ));
        let router = Router::new(
            &[
                served("a", true, vec!["/*"]),
                served("b", true, vec!["/x"]),
                served("c", true, vec!["/x/*"]),
            ],
            &[],
        )
        .unwrap();
        assert!(matches!(
            router.target("/x", None),
            Target::Http { index: 1, .. }
        ));
        assert!(matches!(
            router.target("/x/y", None),
            Target::Http { index: 2, .. }
        ));
        assert!(matches!(
            router.target("/z", None),
            Target::Http { index: 0, .. }
        ));
        let two =
            Router::new(&[served("a", true, vec![]), served("b", true, vec![])], &[]).unwrap();
        assert_eq!(two.target("/", None), Target::NotFound);
        // `<function>.localhost[:port]` picks the function, whatever the path.
        assert!(matches!(
            two.target("/x", Some("b.localhost:8000")),
            Target::Http { index: 1, .. }
        ));
        assert_eq!(two.target("/", Some("c.localhost")), Target::NotFound);
        assert_eq!(two.target("/", Some("b.example.com")), Target::NotFound);
        assert_eq!(
            Router::new(
                &[served("a", true, vec![])],
                &[Route::parse("/q=zz").unwrap()]
            )
            .err()
            .map(|r| r.function),
            Some("zz".into())
        );
        assert_eq!(Route::parse("no-slash=a"), None);
        assert_eq!(Route::parse("/a="), None);
    }
}
