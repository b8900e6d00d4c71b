//! The expiry of an amoCRM long-lived token. Such a token is a JWT whose
//! `exp` claim says when it stops working (1 day to 5 years after it was
//! made); a nightly job that only learns it from a 401 has already lost a
//! night, so the pull reads `exp` locally and the command warns a week
//! ahead. Only the claim is read: the signature is the server's business.

use chrono::{DateTime, Duration, Utc};

/// How long before expiry a pull starts warning.
pub const WARN_BEFORE: Duration = Duration::days(7);

/// The token's `exp`, when it is a JWT that carries one; `None` for any
/// other token (an opaque one says nothing about its expiry).
pub fn expiry(token: &str) -> Option<DateTime<Utc>> {
    let mut parts = token.trim().split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let json: serde_json::Value = serde_json::from_slice(&base64url(payload)?).ok()?;
    let exp = match json.get("exp")? {
        serde_json::Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64))?,
        serde_json::Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    DateTime::from_timestamp(exp, 0)
}

/// A warning when the token expires within [`WARN_BEFORE`] of `now`, or
/// has expired; the text names the moment, never the token.
pub fn warning(token: &str, now: DateTime<Utc>) -> Option<String> {
    let exp = expiry(token)?;
    let shown = exp.format("%Y-%m-%d %H:%M UTC");
    if exp <= now {
        Some(format!(
            "the amoCRM token expired at {shown}; make a new long-lived token in the \
             private integration's settings"
        ))
    } else if exp - now <= WARN_BEFORE {
        let days = (exp - now).num_hours() as f64 / 24.0;
        Some(format!(
            "the amoCRM token expires at {shown} (in {days:.1} days); make a new long-lived \
             token in the private integration's settings before then"
        ))
    } else {
        None
    }
}

/// Decodes base64url without padding (padding tolerated), as JWT parts
/// are written.
fn base64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0u32;
    for byte in text.trim_end_matches('=').bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `{"alg":"RS256","typ":"JWT"}` and `{"aud":"x","exp":1796256000}`
    /// (2026-12-03 00:00 UTC) in base64url, as `printf %s '…' | base64 -w0 | tr '+/' '-_' | tr -d =`
    /// gives them; the signature part is arbitrary.
    const TOKEN: &str =
        "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJ4IiwiZXhwIjoxNzk2MjU2MDAwfQ.c2ln";

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn exp_is_read_from_the_payload() {
        assert_eq!(expiry(TOKEN), Some(at("2026-12-03T00:00:00Z")));
        assert_eq!(expiry("opaque-token"), None);
        assert_eq!(expiry("a.!!!.c"), None);
    }

    #[test]
    fn a_week_ahead_it_warns_and_not_before() {
        assert_eq!(warning(TOKEN, at("2026-11-25T23:00:00Z")), None);
        let soon = warning(TOKEN, at("2026-11-30T00:00:00Z")).unwrap();
        assert!(
            soon.contains("expires at 2026-12-03 00:00 UTC (in 3.0 days)"),
            "{soon}"
        );
        let past = warning(TOKEN, at("2026-12-04T00:00:00Z")).unwrap();
        assert!(past.contains("expired at 2026-12-03 00:00 UTC"), "{past}");
        assert!(!past.contains(TOKEN) && !soon.contains(TOKEN));
    }
}
