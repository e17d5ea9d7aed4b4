
use builtin;
use str;

set edit:completion:arg-completer[cargo-fc] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'cargo-fc'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'cargo-fc'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand fc 'Build, verify, pack and run Rust functions for Alibaba Cloud Function Compute custom runtimes'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cargo-fc;fc'= {
            cand --color 'When to colour output'
            cand --manifest-path 'Path to the Cargo.toml of the package or workspace'
            cand -p 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --package 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --bin 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)'
            cand --message-format 'Output format of results'
            cand -v 'Use verbose output (-vv also makes cargo verbose)'
            cand --verbose 'Use verbose output (-vv also makes cargo verbose)'
            cand -q 'Print only errors and results'
            cand --quiet 'Print only errors and results'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand build 'Compile the functions for their FC runtime and verify the executables'
            cand pack 'Build, verify and zip each function with its assets into a reproducible package'
            cand new 'Create a new function crate, with template.yml and s.yaml pointing at its package'
            cand local 'Run a packed function on this machine the way FC runs it'
            cand check 'Check the deployment template (template.yml or s.yaml) against FC''s rules and the project'
            cand deploy 'Build, pack and check, then deploy with Serverless Devs (`s`) or Fun'
            cand invoke 'Invoke a deployed function through FC''s API (or one `cargo fc local start` serves) and print its result'
            cand completions 'Print a shell completion script for cargo-fc'
            cand image 'Manage the Docker images the docker builder compiles in'
            cand doctor 'Show what cargo fc would use on this machine (Docker, builder images, zig, Rust, s/fun) and how to fix what is missing'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cargo-fc;fc;build'= {
            cand --runtime 'FC runtime to build for: custom (Debian 9, glibc 2.24), custom.debian10, custom.debian11, custom.debian12'
            cand --builder 'How to compile: docker (in a container of the runtime''s Debian), zig (cargo-zigbuild, glibc pinned to the runtime''s) or cargo (plain host build). Default: docker when an engine answers, else zig'
            cand --image 'Docker image to build in instead of the runtime''s builder image (pulled if absent); its glibc is what the verify step judges'
            cand --profile 'Build with the given profile (default: release)'
            cand --target-dir 'Directory for all generated artifacts, as cargo''s --target-dir (cargo fc''s own output goes to <DIR>/fc)'
            cand -F 'Space or comma separated list of features to activate'
            cand --features 'Space or comma separated list of features to activate'
            cand -j 'Number of parallel jobs cargo runs'
            cand --jobs 'Number of parallel jobs cargo runs'
            cand --color 'When to colour output'
            cand --manifest-path 'Path to the Cargo.toml of the package or workspace'
            cand -p 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --package 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --bin 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)'
            cand --message-format 'Output format of results'
            cand -r 'Build with the release profile, the default (cargo''s spelling, accepted as is)'
            cand --release 'Build with the release profile, the default (cargo''s spelling, accepted as is)'
            cand --debug 'Build with the dev profile'
            cand --all-features 'Activate all available features'
            cand --no-default-features 'Do not activate the `default` feature'
            cand --locked 'Assert that Cargo.lock will remain unchanged'
            cand --offline 'Run without accessing the network'
            cand --frozen 'Equivalent to --locked and --offline'
            cand --no-verify 'Skip checking the executables against the runtime (the package may then fail to start on FC)'
            cand -v 'Use verbose output (-vv also makes cargo verbose)'
            cand --verbose 'Use verbose output (-vv also makes cargo verbose)'
            cand -q 'Print only errors and results'
            cand --quiet 'Print only errors and results'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cargo-fc;fc;pack'= {
            cand --runtime 'FC runtime to build for: custom (Debian 9, glibc 2.24), custom.debian10, custom.debian11, custom.debian12'
            cand --builder 'How to compile: docker (in a container of the runtime''s Debian), zig (cargo-zigbuild, glibc pinned to the runtime''s) or cargo (plain host build). Default: docker when an engine answers, else zig'
            cand --image 'Docker image to build in instead of the runtime''s builder image (pulled if absent); its glibc is what the verify step judges'
            cand --profile 'Build with the given profile (default: release)'
            cand --target-dir 'Directory for all generated artifacts, as cargo''s --target-dir (cargo fc''s own output goes to <DIR>/fc)'
            cand -F 'Space or comma separated list of features to activate'
            cand --features 'Space or comma separated list of features to activate'
            cand -j 'Number of parallel jobs cargo runs'
            cand --jobs 'Number of parallel jobs cargo runs'
            cand -o 'Where to write the zip (only with one function; default: <target-dir>/fc/<bin>.zip)'
            cand --output 'Where to write the zip (only with one function; default: <target-dir>/fc/<bin>.zip)'
            cand --include 'Add assets: a file, folder or glob relative to the package, optionally `SRC:DEST` to place them under DEST in the zip (repeatable)'
            cand --tag 'The image''s tag (default: the template''s customContainerConfig.image, else <function>:<crate version>)'
            cand --base 'What the image is made on: `minimal` (default: the bootstrap, the libraries it links, CA certificates), `debian` (the runtime''s Debian, when the engine has it) or any image in the engine'
            cand --registry-user 'User name for the registry; the password is read from standard input (default: the Docker configuration''s credentials)'
            cand --color 'When to colour output'
            cand --manifest-path 'Path to the Cargo.toml of the package or workspace'
            cand -p 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --package 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --bin 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)'
            cand --message-format 'Output format of results'
            cand -r 'Build with the release profile, the default (cargo''s spelling, accepted as is)'
            cand --release 'Build with the release profile, the default (cargo''s spelling, accepted as is)'
            cand --debug 'Build with the dev profile'
            cand --all-features 'Activate all available features'
            cand --no-default-features 'Do not activate the `default` feature'
            cand --locked 'Assert that Cargo.lock will remain unchanged'
            cand --offline 'Run without accessing the network'
            cand --frozen 'Equivalent to --locked and --offline'
            cand --no-verify 'Skip checking the executables against the runtime (the package may then fail to start on FC)'
            cand --no-build 'Pack the bootstrap the last build left instead of building first'
            cand --container 'Make a container image (custom-container function) instead of a zip, loaded into the Docker engine'
            cand --push 'Push the image to the registry its tag names, and print the digest'
            cand --write-template 'Write the pushed digest into the template''s customContainerConfig.image'
            cand -v 'Use verbose output (-vv also makes cargo verbose)'
            cand --verbose 'Use verbose output (-vv also makes cargo verbose)'
            cand -q 'Print only errors and results'
            cand --quiet 'Print only errors and results'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cargo-fc;fc;new'= {
            cand --path 'Folder to create (default: ./NAME); it must not exist'
            cand --event 'Make an event function for this trigger: a handler typed for its event, a test that feeds it a sample, and the trigger in template.yml and s.yaml'
            cand --color 'When to colour output'
            cand --manifest-path 'Path to the Cargo.toml of the package or workspace'
            cand -p 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --package 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --bin 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)'
            cand --message-format 'Output format of results'
            cand --http 'Make an HTTP-trigger function instead of an event function'
            cand --initializer 'Add an initializer that FC runs once per instance before the first request'
            cand --container 'Make a custom-container function: the templates run its image (`cargo fc pack --container`) instead of a zip'
            cand -v 'Use verbose output (-vv also makes cargo verbose)'
            cand --verbose 'Use verbose output (-vv also makes cargo verbose)'
            cand -q 'Print only errors and results'
            cand --quiet 'Print only errors and results'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cargo-fc;fc;local'= {
            cand --color 'When to colour output'
            cand --manifest-path 'Path to the Cargo.toml of the package or workspace'
            cand -p 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --package 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --bin 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)'
            cand --message-format 'Output format of results'
            cand -v 'Use verbose output (-vv also makes cargo verbose)'
            cand --verbose 'Use verbose output (-vv also makes cargo verbose)'
            cand -q 'Print only errors and results'
            cand --quiet 'Print only errors and results'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand invoke 'Build and pack if needed, start the bootstrap, invoke it once with an event and print the result'
            cand start 'Serve an HTTP trigger on localhost that forwards every request to the bootstrap'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cargo-fc;fc;local;invoke'= {
            cand --runtime 'FC runtime to build for: custom (Debian 9, glibc 2.24), custom.debian10, custom.debian11, custom.debian12'
            cand --builder 'How to compile: docker (in a container of the runtime''s Debian), zig (cargo-zigbuild, glibc pinned to the runtime''s) or cargo (plain host build). Default: docker when an engine answers, else zig'
            cand --image 'Docker image to build in instead of the runtime''s builder image (pulled if absent); its glibc is what the verify step judges'
            cand --profile 'Build with the given profile (default: release)'
            cand --target-dir 'Directory for all generated artifacts, as cargo''s --target-dir (cargo fc''s own output goes to <DIR>/fc)'
            cand -F 'Space or comma separated list of features to activate'
            cand --features 'Space or comma separated list of features to activate'
            cand -j 'Number of parallel jobs cargo runs'
            cand --jobs 'Number of parallel jobs cargo runs'
            cand --function 'The function to run, by FC function name or bin name (when several are selected)'
            cand --timeout 'Timeout in seconds (default: the template''s Timeout, else 3)'
            cand --memory 'Memory size in MB, enforced on the process''s resident memory (default: the template''s, else 128)'
            cand --env 'Set an environment variable for the function, over the template''s (repeatable)'
            cand --container-image 'With --container, run this image (pulled if absent) instead of making the function''s'
            cand --event 'Read the event from this file'
            cand --data 'The event itself (default: standard input when it is not a terminal, else empty)'
            cand --example 'Send a sample event cargo fc carries: oss, timer, sls, mns, cdn, tablestore, http, apigw, eventbridge, …; `list` lists them all'
            cand --color 'When to colour output'
            cand --manifest-path 'Path to the Cargo.toml of the package or workspace'
            cand -p 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --package 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --bin 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)'
            cand --message-format 'Output format of results'
            cand -r 'Build with the release profile, the default (cargo''s spelling, accepted as is)'
            cand --release 'Build with the release profile, the default (cargo''s spelling, accepted as is)'
            cand --debug 'Build with the dev profile'
            cand --all-features 'Activate all available features'
            cand --no-default-features 'Do not activate the `default` feature'
            cand --locked 'Assert that Cargo.lock will remain unchanged'
            cand --offline 'Run without accessing the network'
            cand --frozen 'Equivalent to --locked and --offline'
            cand --no-verify 'Skip checking the executables against the runtime (the package may then fail to start on FC)'
            cand --no-build 'Run the package the last `cargo fc pack` left instead of building and packing first'
            cand --container 'Run the function as a custom container: its image (`pack --container`) in the Docker engine'
            cand --tail 'Also print the base64 `x-fc-log-result` FC returns to a client asking for the log tail'
            cand --non-web 'With --container, run it once without a web server: the event in FC_CUSTOM_CONTAINER_EVENT, its exit status the result'
            cand -v 'Use verbose output (-vv also makes cargo verbose)'
            cand --verbose 'Use verbose output (-vv also makes cargo verbose)'
            cand -q 'Print only errors and results'
            cand --quiet 'Print only errors and results'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cargo-fc;fc;local;start'= {
            cand --runtime 'FC runtime to build for: custom (Debian 9, glibc 2.24), custom.debian10, custom.debian11, custom.debian12'
            cand --builder 'How to compile: docker (in a container of the runtime''s Debian), zig (cargo-zigbuild, glibc pinned to the runtime''s) or cargo (plain host build). Default: docker when an engine answers, else zig'
            cand --image 'Docker image to build in instead of the runtime''s builder image (pulled if absent); its glibc is what the verify step judges'
            cand --profile 'Build with the given profile (default: release)'
            cand --target-dir 'Directory for all generated artifacts, as cargo''s --target-dir (cargo fc''s own output goes to <DIR>/fc)'
            cand -F 'Space or comma separated list of features to activate'
            cand --features 'Space or comma separated list of features to activate'
            cand -j 'Number of parallel jobs cargo runs'
            cand --jobs 'Number of parallel jobs cargo runs'
            cand --function 'The function to run, by FC function name or bin name (when several are selected)'
            cand --timeout 'Timeout in seconds (default: the template''s Timeout, else 3)'
            cand --memory 'Memory size in MB, enforced on the process''s resident memory (default: the template''s, else 128)'
            cand --env 'Set an environment variable for the function, over the template''s (repeatable)'
            cand --container-image 'With --container, run this image (pulled if absent) instead of making the function''s'
            cand --port 'Port on 127.0.0.1 for the HTTP triggers and FC 3.0''s InvokeFunction API (0: any free port)'
            cand --concurrency 'Instances of each function at most, each taking the template''s instanceConcurrency requests at once'
            cand --route 'Route requests whose path matches PATH to FUNCTION, as a custom domain''s route (`/api/*`: every path under /api/); over the template''s custom-domain routes (repeatable)'
            cand --color 'When to colour output'
            cand --manifest-path 'Path to the Cargo.toml of the package or workspace'
            cand -p 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --package 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --bin 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)'
            cand --message-format 'Output format of results'
            cand -r 'Build with the release profile, the default (cargo''s spelling, accepted as is)'
            cand --release 'Build with the release profile, the default (cargo''s spelling, accepted as is)'
            cand --debug 'Build with the dev profile'
            cand --all-features 'Activate all available features'
            cand --no-default-features 'Do not activate the `default` feature'
            cand --locked 'Assert that Cargo.lock will remain unchanged'
            cand --offline 'Run without accessing the network'
            cand --frozen 'Equivalent to --locked and --offline'
            cand --no-verify 'Skip checking the executables against the runtime (the package may then fail to start on FC)'
            cand --no-build 'Run the package the last `cargo fc pack` left instead of building and packing first'
            cand --container 'Run the function as a custom container: its image (`pack --container`) in the Docker engine'
            cand --watch 'Rebuild on every save to the package or its path dependencies and serve the new code once it builds (a failed build keeps the previous version); template edits apply without a build. `.gitignore` and `.fcignore` say what does not count'
            cand -v 'Use verbose output (-vv also makes cargo verbose)'
            cand --verbose 'Use verbose output (-vv also makes cargo verbose)'
            cand -q 'Print only errors and results'
            cand --quiet 'Print only errors and results'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cargo-fc;fc;local;help'= {
            cand invoke 'Build and pack if needed, start the bootstrap, invoke it once with an event and print the result'
            cand start 'Serve an HTTP trigger on localhost that forwards every request to the bootstrap'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cargo-fc;fc;local;help;invoke'= {
        }
        &'cargo-fc;fc;local;help;start'= {
        }
        &'cargo-fc;fc;local;help;help'= {
        }
        &'cargo-fc;fc;check'= {
            cand --template 'The template to check (default: template.yml, template.yaml, s.yaml or s.yml next to the package, or its `template` setting)'
            cand --color 'When to colour output'
            cand --manifest-path 'Path to the Cargo.toml of the package or workspace'
            cand -p 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --package 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --bin 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)'
            cand --message-format 'Output format of results'
            cand --deny-warnings 'Fail on warnings too'
            cand -v 'Use verbose output (-vv also makes cargo verbose)'
            cand --verbose 'Use verbose output (-vv also makes cargo verbose)'
            cand -q 'Print only errors and results'
            cand --quiet 'Print only errors and results'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cargo-fc;fc;deploy'= {
            cand --runtime 'FC runtime to build for: custom (Debian 9, glibc 2.24), custom.debian10, custom.debian11, custom.debian12'
            cand --builder 'How to compile: docker (in a container of the runtime''s Debian), zig (cargo-zigbuild, glibc pinned to the runtime''s) or cargo (plain host build). Default: docker when an engine answers, else zig'
            cand --image 'Docker image to build in instead of the runtime''s builder image (pulled if absent); its glibc is what the verify step judges'
            cand --profile 'Build with the given profile (default: release)'
            cand --target-dir 'Directory for all generated artifacts, as cargo''s --target-dir (cargo fc''s own output goes to <DIR>/fc)'
            cand -F 'Space or comma separated list of features to activate'
            cand --features 'Space or comma separated list of features to activate'
            cand -j 'Number of parallel jobs cargo runs'
            cand --jobs 'Number of parallel jobs cargo runs'
            cand --include 'Add assets to the package, as `cargo fc pack --include` (repeatable)'
            cand --tool 'Hand the package to a deploy tool instead of deploying through FC''s API: `s` (Serverless Devs) or `fun`'
            cand --region 'The region (default: the template''s `region`, else ALIBABA_CLOUD_REGION_ID)'
            cand --endpoint 'The API endpoint instead of the region''s, e.g. a VPC endpoint or a gateway'
            cand --template 'The template to deploy (default: the one next to the package)'
            cand --color 'When to colour output'
            cand --manifest-path 'Path to the Cargo.toml of the package or workspace'
            cand -p 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --package 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --bin 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)'
            cand --message-format 'Output format of results'
            cand -r 'Build with the release profile, the default (cargo''s spelling, accepted as is)'
            cand --release 'Build with the release profile, the default (cargo''s spelling, accepted as is)'
            cand --debug 'Build with the dev profile'
            cand --all-features 'Activate all available features'
            cand --no-default-features 'Do not activate the `default` feature'
            cand --locked 'Assert that Cargo.lock will remain unchanged'
            cand --offline 'Run without accessing the network'
            cand --frozen 'Equivalent to --locked and --offline'
            cand --no-verify 'Skip checking the executables against the runtime (the package may then fail to start on FC)'
            cand --no-build 'Deploy the bootstrap the last build left instead of building first'
            cand --dry-run 'With --tool: print the command and the package it would deploy, and run nothing'
            cand --plan 'Show what the deployment would change, field by field, and change nothing (read-only API calls)'
            cand -v 'Use verbose output (-vv also makes cargo verbose)'
            cand --verbose 'Use verbose output (-vv also makes cargo verbose)'
            cand -q 'Print only errors and results'
            cand --quiet 'Print only errors and results'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cargo-fc;fc;invoke'= {
            cand --event 'Read the event from this file'
            cand --data 'The event itself (default: standard input when it is not a terminal, else empty)'
            cand --region 'The region (default: the template''s `region`, else ALIBABA_CLOUD_REGION_ID)'
            cand --endpoint 'The API endpoint instead of the region''s, e.g. a VPC endpoint or http://127.0.0.1:PORT'
            cand --local 'Invoke the function `cargo fc local start` serves on 127.0.0.1:PORT (default 8000)'
            cand --qualifier 'The version or alias to invoke (default: LATEST)'
            cand --color 'When to colour output'
            cand --manifest-path 'Path to the Cargo.toml of the package or workspace'
            cand -p 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --package 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --bin 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)'
            cand --message-format 'Output format of results'
            cand --async 'Invoke asynchronously (`x-fc-invocation-type: Async`): FC queues the event and answers at once with its request id'
            cand -v 'Use verbose output (-vv also makes cargo verbose)'
            cand --verbose 'Use verbose output (-vv also makes cargo verbose)'
            cand -q 'Print only errors and results'
            cand --quiet 'Print only errors and results'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cargo-fc;fc;completions'= {
            cand --color 'When to colour output'
            cand --manifest-path 'Path to the Cargo.toml of the package or workspace'
            cand -p 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --package 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --bin 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)'
            cand --message-format 'Output format of results'
            cand -v 'Use verbose output (-vv also makes cargo verbose)'
            cand --verbose 'Use verbose output (-vv also makes cargo verbose)'
            cand -q 'Print only errors and results'
            cand --quiet 'Print only errors and results'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cargo-fc;fc;image'= {
            cand --color 'When to colour output'
            cand --manifest-path 'Path to the Cargo.toml of the package or workspace'
            cand -p 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --package 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --bin 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)'
            cand --message-format 'Output format of results'
            cand -v 'Use verbose output (-vv also makes cargo verbose)'
            cand --verbose 'Use verbose output (-vv also makes cargo verbose)'
            cand -q 'Print only errors and results'
            cand --quiet 'Print only errors and results'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand build 'Build the builder image of a runtime (its Debian release, a C toolchain and the host''s Rust) through the Docker engine'
            cand list 'List the builder images present in the Docker engine'
            cand rm 'Remove builder images: the ones named, or all of a runtime, or all of them'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cargo-fc;fc;image;build'= {
            cand --runtime 'Runtime whose image to build (default: the project''s runtimes, or `custom` outside a project)'
            cand --color 'When to colour output'
            cand --manifest-path 'Path to the Cargo.toml of the package or workspace'
            cand -p 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --package 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --bin 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)'
            cand --message-format 'Output format of results'
            cand -v 'Use verbose output (-vv also makes cargo verbose)'
            cand --verbose 'Use verbose output (-vv also makes cargo verbose)'
            cand -q 'Print only errors and results'
            cand --quiet 'Print only errors and results'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cargo-fc;fc;image;list'= {
            cand --color 'When to colour output'
            cand --manifest-path 'Path to the Cargo.toml of the package or workspace'
            cand -p 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --package 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --bin 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)'
            cand --message-format 'Output format of results'
            cand -v 'Use verbose output (-vv also makes cargo verbose)'
            cand --verbose 'Use verbose output (-vv also makes cargo verbose)'
            cand -q 'Print only errors and results'
            cand --quiet 'Print only errors and results'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cargo-fc;fc;image;rm'= {
            cand --runtime 'Remove only the images of this runtime'
            cand --color 'When to colour output'
            cand --manifest-path 'Path to the Cargo.toml of the package or workspace'
            cand -p 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --package 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --bin 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)'
            cand --message-format 'Output format of results'
            cand -v 'Use verbose output (-vv also makes cargo verbose)'
            cand --verbose 'Use verbose output (-vv also makes cargo verbose)'
            cand -q 'Print only errors and results'
            cand --quiet 'Print only errors and results'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cargo-fc;fc;image;help'= {
            cand build 'Build the builder image of a runtime (its Debian release, a C toolchain and the host''s Rust) through the Docker engine'
            cand list 'List the builder images present in the Docker engine'
            cand rm 'Remove builder images: the ones named, or all of a runtime, or all of them'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cargo-fc;fc;image;help;build'= {
        }
        &'cargo-fc;fc;image;help;list'= {
        }
        &'cargo-fc;fc;image;help;rm'= {
        }
        &'cargo-fc;fc;image;help;help'= {
        }
        &'cargo-fc;fc;doctor'= {
            cand --color 'When to colour output'
            cand --manifest-path 'Path to the Cargo.toml of the package or workspace'
            cand -p 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --package 'Package to work on (repeatable; default: the current package, or the workspace''s default members)'
            cand --bin 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)'
            cand --message-format 'Output format of results'
            cand -v 'Use verbose output (-vv also makes cargo verbose)'
            cand --verbose 'Use verbose output (-vv also makes cargo verbose)'
            cand -q 'Print only errors and results'
            cand --quiet 'Print only errors and results'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cargo-fc;fc;help'= {
            cand build 'Compile the functions for their FC runtime and verify the executables'
            cand pack 'Build, verify and zip each function with its assets into a reproducible package'
            cand new 'Create a new function crate, with template.yml and s.yaml pointing at its package'
            cand local 'Run a packed function on this machine the way FC runs it'
            cand check 'Check the deployment template (template.yml or s.yaml) against FC''s rules and the project'
            cand deploy 'Build, pack and check, then deploy with Serverless Devs (`s`) or Fun'
            cand invoke 'Invoke a deployed function through FC''s API (or one `cargo fc local start` serves) and print its result'
            cand completions 'Print a shell completion script for cargo-fc'
            cand image 'Manage the Docker images the docker builder compiles in'
            cand doctor 'Show what cargo fc would use on this machine (Docker, builder images, zig, Rust, s/fun) and how to fix what is missing'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cargo-fc;fc;help;build'= {
        }
        &'cargo-fc;fc;help;pack'= {
        }
        &'cargo-fc;fc;help;new'= {
        }
        &'cargo-fc;fc;help;local'= {
            cand invoke 'Build and pack if needed, start the bootstrap, invoke it once with an event and print the result'
            cand start 'Serve an HTTP trigger on localhost that forwards every request to the bootstrap'
        }
        &'cargo-fc;fc;help;local;invoke'= {
        }
        &'cargo-fc;fc;help;local;start'= {
        }
        &'cargo-fc;fc;help;check'= {
        }
        &'cargo-fc;fc;help;deploy'= {
        }
        &'cargo-fc;fc;help;invoke'= {
        }
        &'cargo-fc;fc;help;completions'= {
        }
        &'cargo-fc;fc;help;image'= {
            cand build 'Build the builder image of a runtime (its Debian release, a C toolchain and the host''s Rust) through the Docker engine'
            cand list 'List the builder images present in the Docker engine'
            cand rm 'Remove builder images: the ones named, or all of a runtime, or all of them'
        }
        &'cargo-fc;fc;help;image;build'= {
        }
        &'cargo-fc;fc;help;image;list'= {
        }
        &'cargo-fc;fc;help;image;rm'= {
        }
        &'cargo-fc;fc;help;doctor'= {
        }
        &'cargo-fc;fc;help;help'= {
        }
        &'cargo-fc;help'= {
            cand fc 'Build, verify, pack and run Rust functions for Alibaba Cloud Function Compute custom runtimes'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cargo-fc;help;fc'= {
            cand build 'Compile the functions for their FC runtime and verify the executables'
            cand pack 'Build, verify and zip each function with its assets into a reproducible package'
            cand new 'Create a new function crate, with template.yml and s.yaml pointing at its package'
            cand local 'Run a packed function on this machine the way FC runs it'
            cand check 'Check the deployment template (template.yml or s.yaml) against FC''s rules and the project'
            cand deploy 'Build, pack and check, then deploy with Serverless Devs (`s`) or Fun'
            cand invoke 'Invoke a deployed function through FC''s API (or one `cargo fc local start` serves) and print its result'
            cand completions 'Print a shell completion script for cargo-fc'
            cand image 'Manage the Docker images the docker builder compiles in'
            cand doctor 'Show what cargo fc would use on this machine (Docker, builder images, zig, Rust, s/fun) and how to fix what is missing'
        }
        &'cargo-fc;help;fc;build'= {
        }
        &'cargo-fc;help;fc;pack'= {
        }
        &'cargo-fc;help;fc;new'= {
        }
        &'cargo-fc;help;fc;local'= {
            cand invoke 'Build and pack if needed, start the bootstrap, invoke it once with an event and print the result'
            cand start 'Serve an HTTP trigger on localhost that forwards every request to the bootstrap'
        }
        &'cargo-fc;help;fc;local;invoke'= {
        }
        &'cargo-fc;help;fc;local;start'= {
        }
        &'cargo-fc;help;fc;check'= {
        }
        &'cargo-fc;help;fc;deploy'= {
        }
        &'cargo-fc;help;fc;invoke'= {
        }
        &'cargo-fc;help;fc;completions'= {
        }
        &'cargo-fc;help;fc;image'= {
            cand build 'Build the builder image of a runtime (its Debian release, a C toolchain and the host''s Rust) through the Docker engine'
            cand list 'List the builder images present in the Docker engine'
            cand rm 'Remove builder images: the ones named, or all of a runtime, or all of them'
        }
        &'cargo-fc;help;fc;image;build'= {
        }
        &'cargo-fc;help;fc;image;list'= {
        }
        &'cargo-fc;help;fc;image;rm'= {
        }
        &'cargo-fc;help;fc;doctor'= {
        }
        &'cargo-fc;help;help'= {
        }
    ]
    $completions[$command]
}
