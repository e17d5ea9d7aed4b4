
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
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv shows the commands cargo fc runs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv shows the commands cargo fc runs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Compile the functions for their FC runtime and verify the executables')
            [CompletionResult]::new('pack', 'pack', [CompletionResultType]::ParameterValue, 'Build, verify and zip each function with its assets into a reproducible package')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the deployment template (template.yml or s.yaml) against FC''s rules and the project')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Build, pack and check, then deploy with Serverless Devs (`s`) or Fun')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script for cargo-fc')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cargo-fc;fc;build' {
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'FC runtime to build for: custom (Debian 9, glibc 2.24), custom.debian10, custom.debian11, custom.debian12')
            [CompletionResult]::new('--builder', '--builder', [CompletionResultType]::ParameterName, 'How to compile: zig (cargo-zigbuild, glibc pinned to the runtime''s) or cargo (plain host build)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Build with the given profile (default: release)')
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
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Build with the dev profile')
            [CompletionResult]::new('--all-features', '--all-features', [CompletionResultType]::ParameterName, 'Activate all available features')
            [CompletionResult]::new('--no-default-features', '--no-default-features', [CompletionResultType]::ParameterName, 'Do not activate the `default` feature')
            [CompletionResult]::new('--locked', '--locked', [CompletionResultType]::ParameterName, 'Assert that Cargo.lock will remain unchanged')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Run without accessing the network')
            [CompletionResult]::new('--frozen', '--frozen', [CompletionResultType]::ParameterName, 'Equivalent to --locked and --offline')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Skip checking the executables against the runtime (the package may then fail to start on FC)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv shows the commands cargo fc runs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv shows the commands cargo fc runs)')
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
            [CompletionResult]::new('--builder', '--builder', [CompletionResultType]::ParameterName, 'How to compile: zig (cargo-zigbuild, glibc pinned to the runtime''s) or cargo (plain host build)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Build with the given profile (default: release)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Space or comma separated list of features to activate')
            [CompletionResult]::new('--features', '--features', [CompletionResultType]::ParameterName, 'Space or comma separated list of features to activate')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Number of parallel jobs cargo runs')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Number of parallel jobs cargo runs')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write the zip (only with one function; default: <target-dir>/fc/<bin>.zip)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to write the zip (only with one function; default: <target-dir>/fc/<bin>.zip)')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Add assets: a file, folder or glob relative to the package, optionally `SRC:DEST` to place them under DEST in the zip (repeatable)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--manifest-path', '--manifest-path', [CompletionResultType]::ParameterName, 'Path to the Cargo.toml of the package or workspace')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--bin', '--bin', [CompletionResultType]::ParameterName, 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)')
            [CompletionResult]::new('--message-format', '--message-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Build with the dev profile')
            [CompletionResult]::new('--all-features', '--all-features', [CompletionResultType]::ParameterName, 'Activate all available features')
            [CompletionResult]::new('--no-default-features', '--no-default-features', [CompletionResultType]::ParameterName, 'Do not activate the `default` feature')
            [CompletionResult]::new('--locked', '--locked', [CompletionResultType]::ParameterName, 'Assert that Cargo.lock will remain unchanged')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Run without accessing the network')
            [CompletionResult]::new('--frozen', '--frozen', [CompletionResultType]::ParameterName, 'Equivalent to --locked and --offline')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Skip checking the executables against the runtime (the package may then fail to start on FC)')
            [CompletionResult]::new('--no-build', '--no-build', [CompletionResultType]::ParameterName, 'Pack the bootstrap the last build left instead of building first')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv shows the commands cargo fc runs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv shows the commands cargo fc runs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
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
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv shows the commands cargo fc runs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv shows the commands cargo fc runs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and results')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cargo-fc;fc;deploy' {
            [CompletionResult]::new('--tool', '--tool', [CompletionResultType]::ParameterName, 'The deploy tool (default: `s` for an s.yaml, `fun` for a Fun template.yml)')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'The template to deploy (default: the one next to the package)')
            [CompletionResult]::new('--builder', '--builder', [CompletionResultType]::ParameterName, 'How to compile: zig (cargo-zigbuild, glibc pinned to the runtime''s) or cargo (plain host build)')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Space or comma separated list of features to activate')
            [CompletionResult]::new('--features', '--features', [CompletionResultType]::ParameterName, 'Space or comma separated list of features to activate')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--manifest-path', '--manifest-path', [CompletionResultType]::ParameterName, 'Path to the Cargo.toml of the package or workspace')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--package', '--package', [CompletionResultType]::ParameterName, 'Package to work on (repeatable; default: the current package, or the workspace''s default members)')
            [CompletionResult]::new('--bin', '--bin', [CompletionResultType]::ParameterName, 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)')
            [CompletionResult]::new('--message-format', '--message-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the command and the package it would deploy, and run nothing')
            [CompletionResult]::new('--no-build', '--no-build', [CompletionResultType]::ParameterName, 'Deploy the bootstrap the last build left instead of building first')
            [CompletionResult]::new('--locked', '--locked', [CompletionResultType]::ParameterName, 'Assert that Cargo.lock will remain unchanged')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv shows the commands cargo fc runs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv shows the commands cargo fc runs)')
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
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Use verbose output (-vv shows the commands cargo fc runs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Use verbose output (-vv shows the commands cargo fc runs)')
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
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the deployment template (template.yml or s.yaml) against FC''s rules and the project')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Build, pack and check, then deploy with Serverless Devs (`s`) or Fun')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script for cargo-fc')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cargo-fc;fc;help;build' {
            break
        }
        'cargo-fc;fc;help;pack' {
            break
        }
        'cargo-fc;fc;help;check' {
            break
        }
        'cargo-fc;fc;help;deploy' {
            break
        }
        'cargo-fc;fc;help;completions' {
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
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the deployment template (template.yml or s.yaml) against FC''s rules and the project')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Build, pack and check, then deploy with Serverless Devs (`s`) or Fun')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script for cargo-fc')
            break
        }
        'cargo-fc;help;fc;build' {
            break
        }
        'cargo-fc;help;fc;pack' {
            break
        }
        'cargo-fc;help;fc;check' {
            break
        }
        'cargo-fc;help;fc;deploy' {
            break
        }
        'cargo-fc;help;fc;completions' {
            break
        }
        'cargo-fc;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
