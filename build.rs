// The runtime template is embedded with include_dir, which cargo cannot see into: rebuild when it
// changes.
fn main() {
    println!("cargo:rerun-if-changed=runtime-template");
}
