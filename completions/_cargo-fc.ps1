
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'cargo-fc' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'cargo-fc'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'cargo-fc' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('fc', 'fc', [CompletionResultType]::ParameterValue, 'Build, verify, pack and run Rust functions for Alibaba Cloud Function Compute custom runtimes')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cargo-fc;fc' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--manifest-path', '--manifest-path', [CompletionResultType]::ParameterName, 'Path to the Cargo.toml of the package or workspace')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--bin', '--bin', [CompletionResultType]::ParameterName, 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)')
            [CompletionResult]::new('--message-format', '--message-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Compile the functions for their FC runtime and verify the executables')
            [CompletionResult]::new('pack', 'pack', [CompletionResultType]::ParameterValue, 'Build, verify and zip each function with its assets into a reproducible package')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create a new function crate, with template.yml and s.yaml pointing at its package')
            [CompletionResult]::new('local', 'local', [CompletionResultType]::ParameterValue, 'Run a packed function on this machine the way FC runs it')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the deployment template (template.yml or s.yaml) against FC''s rules and the project')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Build, pack and check, then deploy with Serverless Devs (`s`) or Fun')
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Invoke a deployed function through FC''s API (or one `cargo fc local start` serves) and print its result')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script for cargo-fc')
            [CompletionResult]::new('image', 'image', [CompletionResultType]::ParameterValue, 'Manage the Docker images the docker builder compiles in')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Show what cargo fc would use on this machine (Docker, builder images, zig, Rust, s/fun) and how to fix what is missing')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cargo-fc;fc;build' {
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'FC runtime to build for: custom (Debian 9, glibc 2.24), custom.debian10, custom.debian11, custom.debian12')
            [CompletionResult]::new('--builder', '--builder', [CompletionResultType]::ParameterName, 'How to compile: docker (in a container of the runtime''s Debian), zig (cargo-zigbuild, glibc pinned to the runtime''s) or cargo (plain host build). Default: docker when an engine answers, else zig')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Docker image to build in instead of the runtime''s builder image (pulled if absent); its glibc is what the verify step judges')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Build with the given profile (default: release)')
            [CompletionResult]::new('--target-dir', '--target-dir', [CompletionResultType]::ParameterName, 'Directory for all generated artifacts, as cargo''s --target-dir (cargo fc''s own output goes to <DIR>/fc)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Space or comma separated list of features to activate')
            [CompletionResult]::new('--features', '--features', [CompletionResultType]::ParameterName, 'Space or comma separated list of features to activate')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Number of parallel jobs cargo runs')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Number of parallel jobs cargo runs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--manifest-path', '--manifest-path', [CompletionResultType]::ParameterName, 'Path to the Cargo.toml of the package or workspace')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--bin', '--bin', [CompletionResultType]::ParameterName, 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)')
            [CompletionResult]::new('--message-format', '--message-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Build with the release profile, the default (cargo''s spelling, accepted as is)')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'Build with the release profile, the default (cargo''s spelling, accepted as is)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Build with the dev profile')
            [CompletionResult]::new('--all-features', '--all-features', [CompletionResultType]::ParameterName, 'Activate all available features')
            [CompletionResult]::new('--no-default-features', '--no-default-features', [CompletionResultType]::ParameterName, 'Do not activate the `default` feature')
            [CompletionResult]::new('--locked', '--locked', [CompletionResultType]::ParameterName, 'Assert that Cargo.lock will remain unchanged')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Run without accessing the network')
            [CompletionResult]::new('--frozen', '--frozen', [CompletionResultType]::ParameterName, 'Equivalent to --locked and --offline')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Skip checking the executables against the runtime (the package may then fail to start on FC)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cargo-fc;fc;pack' {
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'FC runtime to build for: custom (Debian 9, glibc 2.24), custom.debian10, custom.debian11, custom.debian12')
            [CompletionResult]::new('--builder', '--builder', [CompletionResultType]::ParameterName, 'How to compile: docker (in a container of the runtime''s Debian), zig (cargo-zigbuild, glibc pinned to the runtime''s) or cargo (plain host build). Default: docker when an engine answers, else zig')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Docker image to build in instead of the runtime''s builder image (pulled if absent); its glibc is what the verify step judges')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Build with the given profile (default: release)')
            [CompletionResult]::new('--target-dir', '--target-dir', [CompletionResultType]::ParameterName, 'Directory for all generated artifacts, as cargo''s --target-dir (cargo fc''s own output goes to <DIR>/fc)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Space or comma separated list of features to activate')
            [CompletionResult]::new('--features', '--features', [CompletionResultType]::ParameterName, 'Space or comma separated list of features to activate')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Number of parallel jobs cargo runs')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Number of parallel jobs cargo runs')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write the zip (only with one function; default: <target-dir>/fc/<bin>.zip)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to write the zip (only with one function; default: <target-dir>/fc/<bin>.zip)')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Add assets: a file, folder or glob relative to the package, optionally `SRC:DEST` to place them under DEST in the zip (repeatable)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'The image''s tag (default: the template''s customContainerConfig.image, else <function>:<crate version>)')
            [CompletionResult]::new('--base', '--base', [CompletionResultType]::ParameterName, 'What the image is made on: `minimal` (default: the bootstrap, the libraries it links, CA certificates), `debian` (the runtime''s Debian, when the engine has it) or any image in the engine')
            [CompletionResult]::new('--registry-user', '--registry-user', [CompletionResultType]::ParameterName, 'User name for the registry; the password is read from standard input (default: the Docker configuration''s credentials)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--manifest-path', '--manifest-path', [CompletionResultType]::ParameterName, 'Path to the Cargo.toml of the package or workspace')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--bin', '--bin', [CompletionResultType]::ParameterName, 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)')
            [CompletionResult]::new('--message-format', '--message-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Build with the release profile, the default (cargo''s spelling, accepted as is)')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'Build with the release profile, the default (cargo''s spelling, accepted as is)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Build with the dev profile')
            [CompletionResult]::new('--all-features', '--all-features', [CompletionResultType]::ParameterName, 'Activate all available features')
            [CompletionResult]::new('--no-default-features', '--no-default-features', [CompletionResultType]::ParameterName, 'Do not activate the `default` feature')
            [CompletionResult]::new('--locked', '--locked', [CompletionResultType]::ParameterName, 'Assert that Cargo.lock will remain unchanged')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Run without accessing the network')
            [CompletionResult]::new('--frozen', '--frozen', [CompletionResultType]::ParameterName, 'Equivalent to --locked and --offline')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Skip checking the executables against the runtime (the package may then fail to start on FC)')
            [CompletionResult]::new('--no-build', '--no-build', [CompletionResultType]::ParameterName, 'Pack the bootstrap the last build left instead of building first')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Make a container image (custom-container function) instead of a zip, loaded into the Docker engine')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the image to the registry its tag names, and print the digest')
            [CompletionResult]::new('--write-template', '--write-template', [CompletionResultType]::ParameterName, 'Write the pushed digest into the template''s customContainerConfig.image')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cargo-fc;fc;new' {
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Folder to create (default: ./NAME); it must not exist')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'Make an event function for this trigger: a handler typed for its event, a test that feeds it a sample, and the trigger in template.yml and s.yaml')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--manifest-path', '--manifest-path', [CompletionResultType]::ParameterName, 'Path to the Cargo.toml of the package or workspace')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--bin', '--bin', [CompletionResultType]::ParameterName, 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)')
            [CompletionResult]::new('--message-format', '--message-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--http', '--http', [CompletionResultType]::ParameterName, 'Make an HTTP-trigger function instead of an event function')
            [CompletionResult]::new('--initializer', '--initializer', [CompletionResultType]::ParameterName, 'Add an initializer that FC runs once per instance before the first request')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Make a custom-container function: the templates run its image (`cargo fc pack --container`) instead of a zip')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cargo-fc;fc;local' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--manifest-path', '--manifest-path', [CompletionResultType]::ParameterName, 'Path to the Cargo.toml of the package or workspace')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--bin', '--bin', [CompletionResultType]::ParameterName, 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)')
            [CompletionResult]::new('--message-format', '--message-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Build and pack if needed, start the bootstrap, invoke it once with an event and print the result')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Serve an HTTP trigger on localhost that forwards every request to the bootstrap')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cargo-fc;fc;local;invoke' {
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'FC runtime to build for: custom (Debian 9, glibc 2.24), custom.debian10, custom.debian11, custom.debian12')
            [CompletionResult]::new('--builder', '--builder', [CompletionResultType]::ParameterName, 'How to compile: docker (in a container of the runtime''s Debian), zig (cargo-zigbuild, glibc pinned to the runtime''s) or cargo (plain host build). Default: docker when an engine answers, else zig')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Docker image to build in instead of the runtime''s builder image (pulled if absent); its glibc is what the verify step judges')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Build with the given profile (default: release)')
            [CompletionResult]::new('--target-dir', '--target-dir', [CompletionResultType]::ParameterName, 'Directory for all generated artifacts, as cargo''s --target-dir (cargo fc''s own output goes to <DIR>/fc)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Space or comma separated list of features to activate')
            [CompletionResult]::new('--features', '--features', [CompletionResultType]::ParameterName, 'Space or comma separated list of features to activate')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Number of parallel jobs cargo runs')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Number of parallel jobs cargo runs')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'The function to run, by FC function name or bin name (when several are selected)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout in seconds (default: the template''s Timeout, else 3)')
            [CompletionResult]::new('--memory', '--memory', [CompletionResultType]::ParameterName, 'Memory size in MB, enforced on the process''s resident memory (default: the template''s, else 128)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Set an environment variable for the function, over the template''s (repeatable)')
            [CompletionResult]::new('--container-image', '--container-image', [CompletionResultType]::ParameterName, 'With --container, run this image (pulled if absent) instead of making the function''s')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'Read the event from this file')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'The event itself (default: standard input when it is not a terminal, else empty)')
            [CompletionResult]::new('--example', '--example', [CompletionResultType]::ParameterName, 'Send a sample event cargo fc carries: oss, timer, sls, mns, cdn, tablestore, http, apigw, eventbridge, …; `list` lists them all')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--manifest-path', '--manifest-path', [CompletionResultType]::ParameterName, 'Path to the Cargo.toml of the package or workspace')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--bin', '--bin', [CompletionResultType]::ParameterName, 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)')
            [CompletionResult]::new('--message-format', '--message-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Build with the release profile, the default (cargo''s spelling, accepted as is)')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'Build with the release profile, the default (cargo''s spelling, accepted as is)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Build with the dev profile')
            [CompletionResult]::new('--all-features', '--all-features', [CompletionResultType]::ParameterName, 'Activate all available features')
            [CompletionResult]::new('--no-default-features', '--no-default-features', [CompletionResultType]::ParameterName, 'Do not activate the `default` feature')
            [CompletionResult]::new('--locked', '--locked', [CompletionResultType]::ParameterName, 'Assert that Cargo.lock will remain unchanged')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Run without accessing the network')
            [CompletionResult]::new('--frozen', '--frozen', [CompletionResultType]::ParameterName, 'Equivalent to --locked and --offline')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Skip checking the executables against the runtime (the package may then fail to start on FC)')
            [CompletionResult]::new('--no-build', '--no-build', [CompletionResultType]::ParameterName, 'Run the package the last `cargo fc pack` left instead of building and packing first')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Run the function as a custom container: its image (`pack --container`) in the Docker engine')
            [CompletionResult]::new('--tail', '--tail', [CompletionResultType]::ParameterName, 'Also print the base64 `x-fc-log-result` FC returns to a client asking for the log tail')
            [CompletionResult]::new('--non-web', '--non-web', [CompletionResultType]::ParameterName, 'With --container, run it once without a web server: the event in FC_CUSTOM_CONTAINER_EVENT, its exit status the result')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cargo-fc;fc;local;start' {
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'FC runtime to build for: custom (Debian 9, glibc 2.24), custom.debian10, custom.debian11, custom.debian12')
            [CompletionResult]::new('--builder', '--builder', [CompletionResultType]::ParameterName, 'How to compile: docker (in a container of the runtime''s Debian), zig (cargo-zigbuild, glibc pinned to the runtime''s) or cargo (plain host build). Default: docker when an engine answers, else zig')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Docker image to build in instead of the runtime''s builder image (pulled if absent); its glibc is what the verify step judges')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Build with the given profile (default: release)')
            [CompletionResult]::new('--target-dir', '--target-dir', [CompletionResultType]::ParameterName, 'Directory for all generated artifacts, as cargo''s --target-dir (cargo fc''s own output goes to <DIR>/fc)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Space or comma separated list of features to activate')
            [CompletionResult]::new('--features', '--features', [CompletionResultType]::ParameterName, 'Space or comma separated list of features to activate')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Number of parallel jobs cargo runs')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Number of parallel jobs cargo runs')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'The function to run, by FC function name or bin name (when several are selected)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout in seconds (default: the template''s Timeout, else 3)')
            [CompletionResult]::new('--memory', '--memory', [CompletionResultType]::ParameterName, 'Memory size in MB, enforced on the process''s resident memory (default: the template''s, else 128)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Set an environment variable for the function, over the template''s (repeatable)')
            [CompletionResult]::new('--container-image', '--container-image', [CompletionResultType]::ParameterName, 'With --container, run this image (pulled if absent) instead of making the function''s')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port on 127.0.0.1 for the HTTP triggers and FC 3.0''s InvokeFunction API (0: any free port)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Instances of each function at most, each taking the template''s instanceConcurrency requests at once')
            [CompletionResult]::new('--route', '--route', [CompletionResultType]::ParameterName, 'Route requests whose path matches PATH to FUNCTION, as a custom domain''s route (`/api/*`: every path under /api/); over the template''s custom-domain routes (repeatable)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--manifest-path', '--manifest-path', [CompletionResultType]::ParameterName, 'Path to the Cargo.toml of the package or workspace')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--bin', '--bin', [CompletionResultType]::ParameterName, 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)')
            [CompletionResult]::new('--message-format', '--message-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Build with the release profile, the default (cargo''s spelling, accepted as is)')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'Build with the release profile, the default (cargo''s spelling, accepted as is)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Build with the dev profile')
            [CompletionResult]::new('--all-features', '--all-features', [CompletionResultType]::ParameterName, 'Activate all available features')
            [CompletionResult]::new('--no-default-features', '--no-default-features', [CompletionResultType]::ParameterName, 'Do not activate the `default` feature')
            [CompletionResult]::new('--locked', '--locked', [CompletionResultType]::ParameterName, 'Assert that Cargo.lock will remain unchanged')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Run without accessing the network')
            [CompletionResult]::new('--frozen', '--frozen', [CompletionResultType]::ParameterName, 'Equivalent to --locked and --offline')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Skip checking the executables against the runtime (the package may then fail to start on FC)')
            [CompletionResult]::new('--no-build', '--no-build', [CompletionResultType]::ParameterName, 'Run the package the last `cargo fc pack` left instead of building and packing first')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Run the function as a custom container: its image (`pack --container`) in the Docker engine')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Rebuild on every save to the package or its path dependencies and serve the new code once it builds (a failed build keeps the previous version); template edits apply without a build. `.gitignore` and `.fcignore` say what does not count')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cargo-fc;fc;local;help' {
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Build and pack if needed, start the bootstrap, invoke it once with an event and print the result')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Serve an HTTP trigger on localhost that forwards every request to the bootstrap')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cargo-fc;fc;local;help;invoke' {
            break
        }
        'cargo-fc;fc;local;help;start' {
            break
        }
        'cargo-fc;fc;local;help;help' {
            break
        }
        'cargo-fc;fc;check' {
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'The template to check (default: template.yml, template.yaml, s.yaml or s.yml next to the package, or its `template` setting)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--manifest-path', '--manifest-path', [CompletionResultType]::ParameterName, 'Path to the Cargo.toml of the package or workspace')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--bin', '--bin', [CompletionResultType]::ParameterName, 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)')
            [CompletionResult]::new('--message-format', '--message-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Fail on warnings too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cargo-fc;fc;deploy' {
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'FC runtime to build for: custom (Debian 9, glibc 2.24), custom.debian10, custom.debian11, custom.debian12')
            [CompletionResult]::new('--builder', '--builder', [CompletionResultType]::ParameterName, 'How to compile: docker (in a container of the runtime''s Debian), zig (cargo-zigbuild, glibc pinned to the runtime''s) or cargo (plain host build). Default: docker when an engine answers, else zig')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Docker image to build in instead of the runtime''s builder image (pulled if absent); its glibc is what the verify step judges')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Build with the given profile (default: release)')
            [CompletionResult]::new('--target-dir', '--target-dir', [CompletionResultType]::ParameterName, 'Directory for all generated artifacts, as cargo''s --target-dir (cargo fc''s own output goes to <DIR>/fc)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Space or comma separated list of features to activate')
            [CompletionResult]::new('--features', '--features', [CompletionResultType]::ParameterName, 'Space or comma separated list of features to activate')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Number of parallel jobs cargo runs')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Number of parallel jobs cargo runs')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Add assets to the package, as `cargo fc pack --include` (repeatable)')
            [CompletionResult]::new('--tool', '--tool', [CompletionResultType]::ParameterName, 'Hand the package to a deploy tool instead of deploying through FC''s API: `s` (Serverless Devs) or `fun`')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The region (default: the template''s `region`, else ALIBABA_CLOUD_REGION_ID)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'The API endpoint instead of the region''s, e.g. a VPC endpoint or a gateway')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'The template to deploy (default: the one next to the package)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--manifest-path', '--manifest-path', [CompletionResultType]::ParameterName, 'Path to the Cargo.toml of the package or workspace')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--bin', '--bin', [CompletionResultType]::ParameterName, 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)')
            [CompletionResult]::new('--message-format', '--message-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Build with the release profile, the default (cargo''s spelling, accepted as is)')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'Build with the release profile, the default (cargo''s spelling, accepted as is)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Build with the dev profile')
            [CompletionResult]::new('--all-features', '--all-features', [CompletionResultType]::ParameterName, 'Activate all available features')
            [CompletionResult]::new('--no-default-features', '--no-default-features', [CompletionResultType]::ParameterName, 'Do not activate the `default` feature')
            [CompletionResult]::new('--locked', '--locked', [CompletionResultType]::ParameterName, 'Assert that Cargo.lock will remain unchanged')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Run without accessing the network')
            [CompletionResult]::new('--frozen', '--frozen', [CompletionResultType]::ParameterName, 'Equivalent to --locked and --offline')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Skip checking the executables against the runtime (the package may then fail to start on FC)')
            [CompletionResult]::new('--no-build', '--no-build', [CompletionResultType]::ParameterName, 'Deploy the bootstrap the last build left instead of building first')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With --tool: print the command and the package it would deploy, and run nothing')
            [CompletionResult]::new('--plan', '--plan', [CompletionResultType]::ParameterName, 'Show what the deployment would change, field by field, and change nothing (read-only API calls)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cargo-fc;fc;invoke' {
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'Read the event from this file')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'The event itself (default: standard input when it is not a terminal, else empty)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The region (default: the template''s `region`, else ALIBABA_CLOUD_REGION_ID)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'The API endpoint instead of the region''s, e.g. a VPC endpoint or http://127.0.0.1:PORT')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Invoke the function `cargo fc local start` serves on 127.0.0.1:PORT (default 8000)')
            [CompletionResult]::new('--qualifier', '--qualifier', [CompletionResultType]::ParameterName, 'The version or alias to invoke (default: LATEST)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--manifest-path', '--manifest-path', [CompletionResultType]::ParameterName, 'Path to the Cargo.toml of the package or workspace')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--bin', '--bin', [CompletionResultType]::ParameterName, 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)')
            [CompletionResult]::new('--message-format', '--message-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--async', '--async', [CompletionResultType]::ParameterName, 'Invoke asynchronously (`x-fc-invocation-type: Async`): FC queues the event and answers at once with its request id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cargo-fc;fc;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--manifest-path', '--manifest-path', [CompletionResultType]::ParameterName, 'Path to the Cargo.toml of the package or workspace')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--bin', '--bin', [CompletionResultType]::ParameterName, 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)')
            [CompletionResult]::new('--message-format', '--message-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cargo-fc;fc;image' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--manifest-path', '--manifest-path', [CompletionResultType]::ParameterName, 'Path to the Cargo.toml of the package or workspace')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--bin', '--bin', [CompletionResultType]::ParameterName, 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)')
            [CompletionResult]::new('--message-format', '--message-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Build the builder image of a runtime (its Debian release, a C toolchain and the host''s Rust) through the Docker engine')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the builder images present in the Docker engine')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove builder images: the ones named, or all of a runtime, or all of them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cargo-fc;fc;image;build' {
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'Runtime whose image to build (default: the project''s runtimes, or `custom` outside a project)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--manifest-path', '--manifest-path', [CompletionResultType]::ParameterName, 'Path to the Cargo.toml of the package or workspace')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--bin', '--bin', [CompletionResultType]::ParameterName, 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)')
            [CompletionResult]::new('--message-format', '--message-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cargo-fc;fc;image;list' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--manifest-path', '--manifest-path', [CompletionResultType]::ParameterName, 'Path to the Cargo.toml of the package or workspace')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--bin', '--bin', [CompletionResultType]::ParameterName, 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)')
            [CompletionResult]::new('--message-format', '--message-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cargo-fc;fc;image;rm' {
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'Remove only the images of this runtime')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--manifest-path', '--manifest-path', [CompletionResultType]::ParameterName, 'Path to the Cargo.toml of the package or workspace')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--bin', '--bin', [CompletionResultType]::ParameterName, 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)')
            [CompletionResult]::new('--message-format', '--message-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cargo-fc;fc;image;help' {
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Build the builder image of a runtime (its Debian release, a C toolchain and the host''s Rust) through the Docker engine')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the builder images present in the Docker engine')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove builder images: the ones named, or all of a runtime, or all of them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cargo-fc;fc;image;help;build' {
            break
        }
        'cargo-fc;fc;image;help;list' {
            break
        }
        'cargo-fc;fc;image;help;rm' {
            break
        }
        'cargo-fc;fc;image;help;help' {
            break
        }
        'cargo-fc;fc;doctor' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--manifest-path', '--manifest-path', [CompletionResultType]::ParameterName, 'Path to the Cargo.toml of the package or workspace')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--bin', '--bin', [CompletionResultType]::ParameterName, 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)')
            [CompletionResult]::new('--message-format', '--message-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv also makes cargo verbose)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cargo-fc;fc;help' {
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Compile the functions for their FC runtime and verify the executables')
            [CompletionResult]::new('pack', 'pack', [CompletionResultType]::ParameterValue, 'Build, verify and zip each function with its assets into a reproducible package')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create a new function crate, with template.yml and s.yaml pointing at its package')
            [CompletionResult]::new('local', 'local', [CompletionResultType]::ParameterValue, 'Run a packed function on this machine the way FC runs it')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the deployment template (template.yml or s.yaml) against FC''s rules and the project')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Build, pack and check, then deploy with Serverless Devs (`s`) or Fun')
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Invoke a deployed function through FC''s API (or one `cargo fc local start` serves) and print its result')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script for cargo-fc')
            [CompletionResult]::new('image', 'image', [CompletionResultType]::ParameterValue, 'Manage the Docker images the docker builder compiles in')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Show what cargo fc would use on this machine (Docker, builder images, zig, Rust, s/fun) and how to fix what is missing')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cargo-fc;fc;help;build' {
            break
        }
        'cargo-fc;fc;help;pack' {
            break
        }
        'cargo-fc;fc;help;new' {
            break
        }
        'cargo-fc;fc;help;local' {
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Build and pack if needed, start the bootstrap, invoke it once with an event and print the result')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Serve an HTTP trigger on localhost that forwards every request to the bootstrap')
            break
        }
        'cargo-fc;fc;help;local;invoke' {
            break
        }
        'cargo-fc;fc;help;local;start' {
            break
        }
        'cargo-fc;fc;help;check' {
            break
        }
        'cargo-fc;fc;help;deploy' {
            break
        }
        'cargo-fc;fc;help;invoke' {
            break
        }
        'cargo-fc;fc;help;completions' {
            break
        }
        'cargo-fc;fc;help;image' {
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Build the builder image of a runtime (its Debian release, a C toolchain and the host''s Rust) through the Docker engine')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the builder images present in the Docker engine')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove builder images: the ones named, or all of a runtime, or all of them')
            break
        }
        'cargo-fc;fc;help;image;build' {
            break
        }
        'cargo-fc;fc;help;image;list' {
            break
        }
        'cargo-fc;fc;help;image;rm' {
            break
        }
        'cargo-fc;fc;help;doctor' {
            break
        }
        'cargo-fc;fc;help;help' {
            break
        }
        'cargo-fc;help' {
            [CompletionResult]::new('fc', 'fc', [CompletionResultType]::ParameterValue, 'Build, verify, pack and run Rust functions for Alibaba Cloud Function Compute custom runtimes')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cargo-fc;help;fc' {
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Compile the functions for their FC runtime and verify the executables')
            [CompletionResult]::new('pack', 'pack', [CompletionResultType]::ParameterValue, 'Build, verify and zip each function with its assets into a reproducible package')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create a new function crate, with template.yml and s.yaml pointing at its package')
            [CompletionResult]::new('local', 'local', [CompletionResultType]::ParameterValue, 'Run a packed function on this machine the way FC runs it')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the deployment template (template.yml or s.yaml) against FC''s rules and the project')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Build, pack and check, then deploy with Serverless Devs (`s`) or Fun')
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Invoke a deployed function through FC''s API (or one `cargo fc local start` serves) and print its result')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script for cargo-fc')
            [CompletionResult]::new('image', 'image', [CompletionResultType]::ParameterValue, 'Manage the Docker images the docker builder compiles in')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Show what cargo fc would use on this machine (Docker, builder images, zig, Rust, s/fun) and how to fix what is missing')
            break
        }
        'cargo-fc;help;fc;build' {
            break
        }
        'cargo-fc;help;fc;pack' {
            break
        }
        'cargo-fc;help;fc;new' {
            break
        }
        'cargo-fc;help;fc;local' {
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Build and pack if needed, start the bootstrap, invoke it once with an event and print the result')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Serve an HTTP trigger on localhost that forwards every request to the bootstrap')
            break
        }
        'cargo-fc;help;fc;local;invoke' {
            break
        }
        'cargo-fc;help;fc;local;start' {
            break
        }
        'cargo-fc;help;fc;check' {
            break
        }
        'cargo-fc;help;fc;deploy' {
            break
        }
        'cargo-fc;help;fc;invoke' {
            break
        }
        'cargo-fc;help;fc;completions' {
            break
        }
        'cargo-fc;help;fc;image' {
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Build the builder image of a runtime (its Debian release, a C toolchain and the host''s Rust) through the Docker engine')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the builder images present in the Docker engine')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove builder images: the ones named, or all of a runtime, or all of them')
            break
        }
        'cargo-fc;help;fc;image;build' {
            break
        }
        'cargo-fc;help;fc;image;list' {
            break
        }
        'cargo-fc;help;fc;image;rm' {
            break
        }
        'cargo-fc;help;fc;doctor' {
            break
        }
        'cargo-fc;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
