//! The base address a pull talks to: `https://` anywhere, plain `http://`
//! only on this machine (tests and local proxies), because a secret goes
//! with every request and must never cross a network in clear text.

use anyhow::bail;

/// A checked base URL, without a trailing `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Checks `url`: `https://HOST[/PATH]`, or `http://` to `127.0.0.1`,
    /// `localhost` or `[::1]`. Credentials in the address are refused:
    /// secrets come from a file or the environment.
    pub fn parse(url: &str) -> anyhow::Result<BaseUrl> {
        let url = url.trim();
        let Some((scheme, rest)) = url.split_once("://") else {
            bail!("--url {url}: not an address; expected e.g. https://sipuni.com/api");
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        if authority.contains('@') {
            bail!(
                "--url: the address carries a user name or password; \
                 give secrets with --secret-file or the environment, never on the command line"
            );
        }
        let host = host_of(authority);
        if host.is_empty() {
            bail!("--url {url}: the address has no host");
        }
        match scheme.to_ascii_lowercase().as_str() {
            "https" => {}
            "http" if is_loopback(host) => {}
            "http" => bail!(
                "--url {url}: plain http:// is accepted only for 127.0.0.1 and localhost; \
                 the secret goes with every request, so use https://"
            ),
            other => bail!("--url {url}: `{other}://` is not http:// or https://"),
        }
        Ok(BaseUrl(url.trim_end_matches('/').to_string()))
    }

    /// The base URL followed by `/path`.
    pub fn join(&self, path: &str) -> String {
        format!("{}/{}", self.0, path.trim_start_matches('/'))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The host of `host[:port]`, `[v6]:port` included, lower-cased.
fn host_of(authority: &str) -> &str {
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or("");
    }
    authority.split(':').next().unwrap_or("")
}

fn is_loopback(host: &str) -> bool {
    host == "127.0.0.1" || host == "::1" || host.eq_ignore_ascii_case("localhost")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_on_this_machine() {
        for ok in [
            "https://sipuni.com/api",
            "https://sipuni.com/api/",
            "http://127.0.0.1:8080/api",
            "http://localhost:9/",
            "HTTP://LOCALHOST",
            "http://[::1]:8080",
        ] {
            assert!(BaseUrl::parse(ok).is_ok(), "{ok}");
        }
        for refused in [
            "http://sipuni.com/api",
            "http://127.0.0.1.example.com/api",
            "http://localhost.evil.ru",
            "http://10.0.0.5:8080",
            "ftp://127.0.0.1",
            "sipuni.com/api",
            "https://user:key@sipuni.com/api",
            "https:///api",
        ] {
            assert!(BaseUrl::parse(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn paths_join_with_one_slash() {
        let base = BaseUrl::parse("https://sipuni.com/api/").unwrap();
        assert_eq!(
            base.join("statistic/export"),
            "https://sipuni.com/api/statistic/export"
        );
    }
}
