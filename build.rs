// The runtime template and the fc-runtime crate are embedded with include_dir, which cargo cannot
// see into: rebuild when they change.
fn main() {
    println!("cargo:rerun-if-changed=runtime-template");
    println!("cargo:rerun-if-changed=fc-runtime");
}
