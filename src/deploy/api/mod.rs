//! cargo fc's own client for FC 3.0's OpenAPI (version 2023-03-30): signing, credentials, the
//! HTTPS client, the wire types, the plan of changes and applying it.

pub mod apply;
pub mod client;
pub mod crc64;
pub mod credentials;
pub mod invoke;
pub mod model;
pub mod plan;
pub mod sign;
