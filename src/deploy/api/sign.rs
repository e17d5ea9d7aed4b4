//! ACS3-HMAC-SHA256: Alibaba Cloud's signature v3, as FC 3.0's API gateway checks it.
//!
//! The canonical request is the method, the canonical URI, the sorted and encoded query, the
//! signed headers as `name:value` lines, the list of their names, and the hex SHA-256 of the body;
//! the string to sign is the algorithm's name and the hex SHA-256 of that; the signature is the
//! hex HMAC-SHA256 of the string to sign with the AccessKey secret. References: "V3 request
//! structure and signature" (help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature)
//! and FC 3.0's own "签名机制" page (help.aliyun.com/zh/functioncompute/fc/developer-reference/signature-mechanism).
//!
//! No maintained crate offers this canonicalisation on its own: `ali-acs` keeps its signer in a
//! private module tied to reqwest's body type and prints the secret in its `Debug`, and the other
//! Alibaba crates sign the older RPC (v1) style. So the canonicalisation lives here, over the
//! `hmac` and `sha2` crates, tested against the documentation's worked example and, in
//! `tests/fc_api.rs`, against the official Python SDK's own signer.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// The only algorithm FC's gateway takes for AccessKey signatures.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// The parts of an HTTP request that the signature covers.
#[derive(Debug, Clone, Copy)]
pub struct CanonicalInput<'a> {
    /// Upper-case HTTP method.
    pub method: &'a str,
    /// The path as sent, already percent-encoded segment by segment (see [`encode_path_segment`]).
    pub path: &'a str,
    /// Query parameters, decoded; they are sorted and encoded here.
    pub query: &'a [(String, String)],
    /// Every request header. Only `host`, `content-type` and the `x-acs-*` ones are signed, which
    /// is exactly the set the documentation requires; the others (user-agent, accept, the
    /// `x-fc-*` invocation options) pass through unsigned.
    pub headers: &'a [(String, String)],
    /// Hex SHA-256 of the body, the value of `x-acs-content-sha256`.
    pub payload_sha256: &'a str,
}

/// The signature's intermediate values, kept for tests and for `-vv` traces of a mismatch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub canonical_request: String,
    /// Lower-case names joined by `;`, the `SignedHeaders` of the Authorization header.
    pub signed_headers: String,
    pub string_to_sign: String,
    /// Hex HMAC-SHA256 of the string to sign.
    pub signature: String,
}

impl Signed {
    /// The `Authorization` header value.
    pub fn authorization(&self, access_key_id: &str) -> String {
        format!(
            "{ALGORITHM} Credential={access_key_id},SignedHeaders={},Signature={}",
            self.signed_headers, self.signature
        )
    }
}

/// Signs `input` with `secret`.
pub fn sign(input: &CanonicalInput<'_>, secret: &str) -> Signed {
    let (canonical_request, signed_headers) = canonical_request(input);
    let string_to_sign = string_to_sign(&canonical_request);
    let signature = hex::encode(hmac_sha256(secret.as_bytes(), string_to_sign.as_bytes()));
    Signed {
        canonical_request,
        signed_headers,
        string_to_sign,
        signature,
    }
}

/// The canonical request and the list of signed header names.
pub fn canonical_request(input: &CanonicalInput<'_>) -> (String, String) {
    let headers = signed_headers(input.headers);
    let mut canonical_headers = String::new();
    for (name, value) in &headers {
        canonical_headers.push_str(name);
        canonical_headers.push(':');
        canonical_headers.push_str(value);
        canonical_headers.push('\n');
    }
    let names: Vec<&str> = headers.iter().map(|(name, _)| name.as_str()).collect();
    let signed = names.join(";");
    let path = if input.path.is_empty() {
        "/"
    } else {
        input.path
    };
    let canonical = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        input.method,
        path,
        canonical_query(input.query),
        canonical_headers,
        signed,
        input.payload_sha256
    );
    (canonical, signed)
}

/// `ACS3-HMAC-SHA256\n<hex sha256 of the canonical request>`.
pub fn string_to_sign(canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{}", sha256_hex(canonical_request.as_bytes()))
}

/// The headers that are signed, lower-cased, trimmed and sorted by name. A header given twice
/// has its values joined by commas in sorted order, as the SDK does.
pub fn signed_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    let mut signed: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        if name == "host" || name == "content-type" || name.starts_with("x-acs-") {
            signed
                .entry(name)
                .or_default()
                .push(value.trim().to_string());
        }
    }
    signed
        .into_iter()
        .map(|(name, mut values)| {
            values.sort();
            (name, values.join(","))
        })
        .collect()
}

/// Parameters sorted by name (then value), each name and value encoded, joined by `&`; a
/// parameter with no value keeps its `=`.
pub fn canonical_query(query: &[(String, String)]) -> String {
    let mut pairs: Vec<&(String, String)> = query.iter().collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// RFC 3986 encoding as the signature defines it: `A–Z a–z 0–9 - _ . ~` stay, every other byte
/// of the UTF-8 becomes `%XX` with upper-case hex (so a space is `%20`, never `+`).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// One path segment (a function or trigger name) encoded for the URI. The same rule as the
/// query, since the canonical URI encodes each `/`-separated part that way.
pub fn encode_path_segment(segment: &str) -> String {
    percent_encode(segment)
}

/// Hex SHA-256, the form `x-acs-content-sha256` and the string to sign use.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// The worked example of Alibaba's signature v3 documentation: "V3 request structure and
    /// signature", section "签名示例"/"Signature example", and FC 3.0's "签名机制" page
    /// (help.aliyun.com/zh/functioncompute/fc/developer-reference/signature-mechanism), which
    /// gives every intermediate value: the canonical headers, the signed header list, the
    /// string to sign `ACS3-HMAC-SHA256\n7ea06492…` and the signature `06563a9e…`.
    #[test]
    fn the_documented_worked_example_signs_to_the_documented_values() {
        let query = pairs(&[
            ("RegionId", "cn-shanghai"),
            (
                "ImageId",
                "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
            ),
        ]);
        let empty = sha256_hex(b"");
        assert_eq!(
            empty,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let headers = pairs(&[
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-version", "2014-05-26"),
            ("x-acs-date", "2023-10-26T10:22:32Z"),
            ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
            ("x-acs-content-sha256", &empty),
            // Not signed: only host, content-type and x-acs-* are.
            ("user-agent", "cargo-fc"),
        ]);
        let input = CanonicalInput {
            method: "POST",
            path: "/",
            query: &query,
            headers: &headers,
            payload_sha256: &empty,
        };
        let signed = sign(&input, "YourAccessKeySecret");
        assert_eq!(
            signed.canonical_request,
            "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n\
             host:ecs.cn-shanghai.aliyuncs.com\n\
             x-acs-action:RunInstances\n\
             x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
             x-acs-date:2023-10-26T10:22:32Z\n\
             x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n\
             x-acs-version:2014-05-26\n\n\
             host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            signed.string_to_sign,
            "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        );
        assert_eq!(
            signed.signature,
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
        assert_eq!(
            signed.authorization("YourAccessKeyId"),
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;\
             x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,\
             Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
    }

    #[test]
    fn encoding_follows_the_documented_table() {
        // The documentation's table: space → %20, * → %2A, ~ stays.
        assert_eq!(percent_encode("a b*c~d"), "a%20b%2Ac~d");
        assert_eq!(percent_encode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(percent_encode("/+=&:\""), "%2F%2B%3D%26%3A%22");
        assert_eq!(percent_encode("函"), "%E5%87%BD");
    }

    #[test]
    fn query_parameters_sort_by_name_and_empty_values_keep_their_equals_sign() {
        let query = pairs(&[("prefix", ""), ("limit", "100"), ("nextToken", "a b")]);
        assert_eq!(canonical_query(&query), "limit=100&nextToken=a%20b&prefix=");
        assert_eq!(canonical_query(&[]), "");
    }

    #[test]
    fn header_names_are_lowered_values_trimmed_and_only_the_signed_set_kept() {
        let headers = pairs(&[
            ("Content-Type", " application/json "),
            ("X-Acs-Date", "2023-10-26T10:22:32Z"),
            ("Accept", "application/json"),
            ("x-fc-log-type", "Tail"),
            ("Host", "fcv3.cn-hangzhou.aliyuncs.com"),
        ]);
        assert_eq!(
            signed_headers(&headers),
            pairs(&[
                ("content-type", "application/json"),
                ("host", "fcv3.cn-hangzhou.aliyuncs.com"),
                ("x-acs-date", "2023-10-26T10:22:32Z"),
            ])
        );
    }

    #[test]
    fn a_changed_byte_anywhere_changes_the_signature() {
        let empty = sha256_hex(b"");
        let headers = pairs(&[("host", "h"), ("x-acs-action", "GetFunction")]);
        let base = CanonicalInput {
            method: "GET",
            path: "/2023-03-30/functions/a",
            query: &[],
            headers: &headers,
            payload_sha256: &empty,
        };
        let reference = sign(&base, "secret").signature;
        let other_path = CanonicalInput {
            path: "/2023-03-30/functions/b",
            ..base
        };
        assert_ne!(sign(&other_path, "secret").signature, reference);
        assert_ne!(sign(&base, "secret2").signature, reference);
        let post = CanonicalInput {
            method: "POST",
            ..base
        };
        assert_ne!(sign(&post, "secret").signature, reference);
    }
}
