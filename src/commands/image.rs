//! `cargo fc image build|list|rm`: the Docker builder's images.

use std::io::Write;
use std::path::PathBuf;

use bollard::query_parameters::RemoveImageOptionsBuilder;
use serde_json::json;

use crate::build::BuildError;
use crate::build::image::{self, Toolchain};
use crate::cli::{GlobalArgs, ImageArgs, ImageCommand};
use crate::engine::{self, Engine};
use crate::error::Result;
use crate::project;
use crate::ui::{self, Ui};

pub fn run(global: &GlobalArgs, args: &ImageArgs, ui: &Ui) -> Result<()> {
    let selection = super::selection(global, None);
    match &args.command {
        ImageCommand::Build { runtime } => {
            let project = project::load(&selection).ok();
            let runtimes = match runtime {
                Some(runtime) => vec![*runtime],
                None => image::runtimes_of(project.as_ref()),
            };
            let dir = project
                .as_ref()
                .map_or_else(|| PathBuf::from("."), |p| p.workspace_root.clone());
            let toolchain = Toolchain::detect(&dir)?;
            let engine = Engine::connect()?;
            for runtime in runtimes {
                let tag = image::build(&engine, runtime, &toolchain, ui)?;
                if let Some(project) = &project {
                    // The image is here now: a remembered reason not to use Docker is stale.
                    crate::build::choice::Memo::forget(&project.target_dir);
                }
                ui.json(&json!({"reason": "image-built", "image": tag, "runtime": runtime.id, "rust": toolchain.version}));
            }
            Ok(())
        }
        ImageCommand::List => {
            let engine = Engine::connect()?;
            let images = image::list_builders(&engine)?;
            if ui.is_json() {
                let images: Vec<_> = images
                    .iter()
                    .map(|image| json!({"image": image.tag, "runtime": image.runtime, "rust": image.rust, "size": image.size, "created": image.created}))
                    .collect();
                ui.json(&json!({"reason": "builder-images", "images": images}));
            } else if images.is_empty() {
                ui.status(
                    "Images",
                    "none yet; `cargo fc image build` or a Docker build makes one",
                );
            } else {
                let mut stdout = std::io::stdout().lock();
                let width = images.iter().map(|i| i.tag.len()).max().unwrap_or(0);
                let _ = writeln!(
                    stdout,
                    "{:width$}  {:16}  {:14}  SIZE",
                    "IMAGE", "RUNTIME", "RUST"
                );
                for image in &images {
                    let _ = writeln!(
                        stdout,
                        "{:width$}  {:16}  {:14}  {}",
                        image.tag,
                        image.runtime,
                        image.rust,
                        ui::human_size(u64::try_from(image.size).unwrap_or(0))
                    );
                }
            }
            Ok(())
        }
        ImageCommand::Rm { runtime, images } => {
            let engine = Engine::connect()?;
            let present = image::list_builders(&engine)?;
            let wanted: Vec<String> = if !images.is_empty() {
                if let Some(name) = images
                    .iter()
                    .find(|name| !present.iter().any(|p| &p.tag == *name))
                {
                    return Err(BuildError::NotABuilderImage { name: name.clone() }.into());
                }
                images.clone()
            } else {
                present
                    .iter()
                    .filter(|p| runtime.is_none_or(|r| p.runtime == r.id))
                    .map(|p| p.tag.clone())
                    .collect()
            };
            if wanted.is_empty() {
                ui.status("Images", "no builder images to remove");
            }
            for tag in wanted {
                engine
                    .block_on(engine.docker().remove_image(
                        &tag,
                        Some(RemoveImageOptionsBuilder::new().build()),
                        None,
                    ))
                    .map_err(|e| engine::api_error(&format!("removing {tag}"), e))?;
                ui.status("Removed", &tag);
                ui.json(&json!({"reason": "image-removed", "image": tag}));
            }
            Ok(())
        }
    }
}
