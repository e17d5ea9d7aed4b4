# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_cargo_fc_global_optspecs
    string join \n h/help
end

function __fish_cargo_fc_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_cargo_fc_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_cargo_fc_using_subcommand
    set -l cmd (__fish_cargo_fc_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c cargo-fc -n "__fish_cargo_fc_needs_command" -s h -l help -d 'Print help'
complete -c cargo-fc -n "__fish_cargo_fc_needs_command" -f -a "fc" -d 'Build, verify, pack and run Rust functions for Alibaba Cloud Function Compute custom runtimes'
complete -c cargo-fc -n "__fish_cargo_fc_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and not __fish_seen_subcommand_from build pack new local check deploy invoke completions image doctor help" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when stderr is a terminal and `NO_COLOR` is not set'
always\t''
never\t''"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and not __fish_seen_subcommand_from build pack new local check deploy invoke completions image doctor help" -l manifest-path -d 'Path to the Cargo.toml of the package or workspace' -r -F
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and not __fish_seen_subcommand_from build pack new local check deploy invoke completions image doctor help" -s p -l package -d 'Package to work on (repeatable; default: the current package, or the workspace\'s default members)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and not __fish_seen_subcommand_from build pack new local check deploy invoke completions image doctor help" -l bin -d 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and not __fish_seen_subcommand_from build pack new local check deploy invoke completions image doctor help" -l message-format -d 'Output format of results' -r -f -a "human\t'Status lines for people, on stderr'
json\t'One JSON object per result on stdout; human lines stay on stderr'"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and not __fish_seen_subcommand_from build pack new local check deploy invoke completions image doctor help" -s v -l verbose -d 'Use verbose output (-vv also makes cargo verbose)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and not __fish_seen_subcommand_from build pack new local check deploy invoke completions image doctor help" -s q -l quiet -d 'Print only errors and results'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and not __fish_seen_subcommand_from build pack new local check deploy invoke completions image doctor help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and not __fish_seen_subcommand_from build pack new local check deploy invoke completions image doctor help" -s V -l version -d 'Print version'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and not __fish_seen_subcommand_from build pack new local check deploy invoke completions image doctor help" -f -a "build" -d 'Compile the functions for their FC runtime and verify the executables'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and not __fish_seen_subcommand_from build pack new local check deploy invoke completions image doctor help" -f -a "pack" -d 'Build, verify and zip each function with its assets into a reproducible package'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and not __fish_seen_subcommand_from build pack new local check deploy invoke completions image doctor help" -f -a "new" -d 'Create a new function crate, with template.yml and s.yaml pointing at its package'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and not __fish_seen_subcommand_from build pack new local check deploy invoke completions image doctor help" -f -a "local" -d 'Run a packed function on this machine the way FC runs it'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and not __fish_seen_subcommand_from build pack new local check deploy invoke completions image doctor help" -f -a "check" -d 'Check the deployment template (template.yml or s.yaml) against FC\'s rules and the project'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and not __fish_seen_subcommand_from build pack new local check deploy invoke completions image doctor help" -f -a "deploy" -d 'Build, pack and check, then deploy with Serverless Devs (`s`) or Fun'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and not __fish_seen_subcommand_from build pack new local check deploy invoke completions image doctor help" -f -a "invoke" -d 'Invoke a deployed function through FC\'s API (or one `cargo fc local start` serves) and print its result'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and not __fish_seen_subcommand_from build pack new local check deploy invoke completions image doctor help" -f -a "completions" -d 'Print a shell completion script for cargo-fc'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and not __fish_seen_subcommand_from build pack new local check deploy invoke completions image doctor help" -f -a "image" -d 'Manage the Docker images the docker builder compiles in'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and not __fish_seen_subcommand_from build pack new local check deploy invoke completions image doctor help" -f -a "doctor" -d 'Show what cargo fc would use on this machine (Docker, builder images, zig, Rust, s/fun) and how to fix what is missing'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and not __fish_seen_subcommand_from build pack new local check deploy invoke completions image doctor help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -l runtime -d 'FC runtime to build for: custom (Debian 9, glibc 2.24), custom.debian10, custom.debian11, custom.debian12' -r -f -a "custom\t''
custom.debian10\t''
custom.debian11\t''
custom.debian12\t''"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -l builder -d 'How to compile: docker (in a container of the runtime\'s Debian), zig (cargo-zigbuild, glibc pinned to the runtime\'s) or cargo (plain host build). Default: docker when an engine answers, else zig' -r -f -a "docker\t''
zig\t''
cargo\t''"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -l image -d 'Docker image to build in instead of the runtime\'s builder image (pulled if absent); its glibc is what the verify step judges' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -l profile -d 'Build with the given profile (default: release)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -l target-dir -d 'Directory for all generated artifacts, as cargo\'s --target-dir (cargo fc\'s own output goes to <DIR>/fc)' -r -F
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -s F -l features -d 'Space or comma separated list of features to activate' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -s j -l jobs -d 'Number of parallel jobs cargo runs' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when stderr is a terminal and `NO_COLOR` is not set'
always\t''
never\t''"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -l manifest-path -d 'Path to the Cargo.toml of the package or workspace' -r -F
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -s p -l package -d 'Package to work on (repeatable; default: the current package, or the workspace\'s default members)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -l bin -d 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -l message-format -d 'Output format of results' -r -f -a "human\t'Status lines for people, on stderr'
json\t'One JSON object per result on stdout; human lines stay on stderr'"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -s r -l release -d 'Build with the release profile, the default (cargo\'s spelling, accepted as is)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -l debug -d 'Build with the dev profile'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -l all-features -d 'Activate all available features'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -l no-default-features -d 'Do not activate the `default` feature'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -l locked -d 'Assert that Cargo.lock will remain unchanged'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -l offline -d 'Run without accessing the network'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -l frozen -d 'Equivalent to --locked and --offline'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -l no-verify -d 'Skip checking the executables against the runtime (the package may then fail to start on FC)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -s v -l verbose -d 'Use verbose output (-vv also makes cargo verbose)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -s q -l quiet -d 'Print only errors and results'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from build" -s V -l version -d 'Print version'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l runtime -d 'FC runtime to build for: custom (Debian 9, glibc 2.24), custom.debian10, custom.debian11, custom.debian12' -r -f -a "custom\t''
custom.debian10\t''
custom.debian11\t''
custom.debian12\t''"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l builder -d 'How to compile: docker (in a container of the runtime\'s Debian), zig (cargo-zigbuild, glibc pinned to the runtime\'s) or cargo (plain host build). Default: docker when an engine answers, else zig' -r -f -a "docker\t''
zig\t''
cargo\t''"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l image -d 'Docker image to build in instead of the runtime\'s builder image (pulled if absent); its glibc is what the verify step judges' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l profile -d 'Build with the given profile (default: release)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l target-dir -d 'Directory for all generated artifacts, as cargo\'s --target-dir (cargo fc\'s own output goes to <DIR>/fc)' -r -F
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -s F -l features -d 'Space or comma separated list of features to activate' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -s j -l jobs -d 'Number of parallel jobs cargo runs' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -s o -l output -d 'Where to write the zip (only with one function; default: <target-dir>/fc/<bin>.zip)' -r -F
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l include -d 'Add assets: a file, folder or glob relative to the package, optionally `SRC:DEST` to place them under DEST in the zip (repeatable)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l tag -d 'The image\'s tag (default: the template\'s customContainerConfig.image, else <function>:<crate version>)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l base -d 'What the image is made on: `minimal` (default: the bootstrap, the libraries it links, CA certificates), `debian` (the runtime\'s Debian, when the engine has it) or any image in the engine' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l registry-user -d 'User name for the registry; the password is read from standard input (default: the Docker configuration\'s credentials)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when stderr is a terminal and `NO_COLOR` is not set'
always\t''
never\t''"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l manifest-path -d 'Path to the Cargo.toml of the package or workspace' -r -F
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -s p -l package -d 'Package to work on (repeatable; default: the current package, or the workspace\'s default members)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l bin -d 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l message-format -d 'Output format of results' -r -f -a "human\t'Status lines for people, on stderr'
json\t'One JSON object per result on stdout; human lines stay on stderr'"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -s r -l release -d 'Build with the release profile, the default (cargo\'s spelling, accepted as is)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l debug -d 'Build with the dev profile'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l all-features -d 'Activate all available features'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l no-default-features -d 'Do not activate the `default` feature'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l locked -d 'Assert that Cargo.lock will remain unchanged'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l offline -d 'Run without accessing the network'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l frozen -d 'Equivalent to --locked and --offline'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l no-verify -d 'Skip checking the executables against the runtime (the package may then fail to start on FC)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l no-build -d 'Pack the bootstrap the last build left instead of building first'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l container -d 'Make a container image (custom-container function) instead of a zip, loaded into the Docker engine'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l push -d 'Push the image to the registry its tag names, and print the digest'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -l write-template -d 'Write the pushed digest into the template\'s customContainerConfig.image'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -s v -l verbose -d 'Use verbose output (-vv also makes cargo verbose)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -s q -l quiet -d 'Print only errors and results'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from pack" -s V -l version -d 'Print version'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from new" -l path -d 'Folder to create (default: ./NAME); it must not exist' -r -F
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from new" -l event -d 'Make an event function for this trigger: a handler typed for its event, a test that feeds it a sample, and the trigger in template.yml and s.yaml' -r -f -a "oss\t'OSS object notifications'
timer\t'A schedule'
sls\t'Simple Log Service (SLS) logstore data'
mns\t'MNS topic messages'
cdn\t'CDN events'
tablestore\t'Tablestore row changes'
http\t'An FC 3.0 HTTP trigger, the request handed over as an event'
apigw\t'API Gateway requests'
eventbridge\t'EventBridge events (OSS through the default bus)'"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from new" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when stderr is a terminal and `NO_COLOR` is not set'
always\t''
never\t''"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from new" -l manifest-path -d 'Path to the Cargo.toml of the package or workspace' -r -F
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from new" -s p -l package -d 'Package to work on (repeatable; default: the current package, or the workspace\'s default members)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from new" -l bin -d 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from new" -l message-format -d 'Output format of results' -r -f -a "human\t'Status lines for people, on stderr'
json\t'One JSON object per result on stdout; human lines stay on stderr'"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from new" -l http -d 'Make an HTTP-trigger function instead of an event function'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from new" -l initializer -d 'Add an initializer that FC runs once per instance before the first request'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from new" -l container -d 'Make a custom-container function: the templates run its image (`cargo fc pack --container`) instead of a zip'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from new" -s v -l verbose -d 'Use verbose output (-vv also makes cargo verbose)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from new" -s q -l quiet -d 'Print only errors and results'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from new" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from new" -s V -l version -d 'Print version'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from local" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when stderr is a terminal and `NO_COLOR` is not set'
always\t''
never\t''"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from local" -l manifest-path -d 'Path to the Cargo.toml of the package or workspace' -r -F
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from local" -s p -l package -d 'Package to work on (repeatable; default: the current package, or the workspace\'s default members)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from local" -l bin -d 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from local" -l message-format -d 'Output format of results' -r -f -a "human\t'Status lines for people, on stderr'
json\t'One JSON object per result on stdout; human lines stay on stderr'"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from local" -s v -l verbose -d 'Use verbose output (-vv also makes cargo verbose)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from local" -s q -l quiet -d 'Print only errors and results'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from local" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from local" -s V -l version -d 'Print version'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from local" -f -a "invoke" -d 'Build and pack if needed, start the bootstrap, invoke it once with an event and print the result'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from local" -f -a "start" -d 'Serve an HTTP trigger on localhost that forwards every request to the bootstrap'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from local" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from check" -l template -d 'The template to check (default: template.yml, template.yaml, s.yaml or s.yml next to the package, or its `template` setting)' -r -F
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from check" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when stderr is a terminal and `NO_COLOR` is not set'
always\t''
never\t''"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from check" -l manifest-path -d 'Path to the Cargo.toml of the package or workspace' -r -F
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from check" -s p -l package -d 'Package to work on (repeatable; default: the current package, or the workspace\'s default members)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from check" -l bin -d 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from check" -l message-format -d 'Output format of results' -r -f -a "human\t'Status lines for people, on stderr'
json\t'One JSON object per result on stdout; human lines stay on stderr'"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from check" -l deny-warnings -d 'Fail on warnings too'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Use verbose output (-vv also makes cargo verbose)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print only errors and results'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l runtime -d 'FC runtime to build for: custom (Debian 9, glibc 2.24), custom.debian10, custom.debian11, custom.debian12' -r -f -a "custom\t''
custom.debian10\t''
custom.debian11\t''
custom.debian12\t''"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l builder -d 'How to compile: docker (in a container of the runtime\'s Debian), zig (cargo-zigbuild, glibc pinned to the runtime\'s) or cargo (plain host build). Default: docker when an engine answers, else zig' -r -f -a "docker\t''
zig\t''
cargo\t''"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l image -d 'Docker image to build in instead of the runtime\'s builder image (pulled if absent); its glibc is what the verify step judges' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l profile -d 'Build with the given profile (default: release)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l target-dir -d 'Directory for all generated artifacts, as cargo\'s --target-dir (cargo fc\'s own output goes to <DIR>/fc)' -r -F
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -s F -l features -d 'Space or comma separated list of features to activate' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -s j -l jobs -d 'Number of parallel jobs cargo runs' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l include -d 'Add assets to the package, as `cargo fc pack --include` (repeatable)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l tool -d 'Hand the package to a deploy tool instead of deploying through FC\'s API: `s` (Serverless Devs) or `fun`' -r -f -a "s\t''
fun\t''"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l region -d 'The region (default: the template\'s `region`, else ALIBABA_CLOUD_REGION_ID)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l endpoint -d 'The API endpoint instead of the region\'s, e.g. a VPC endpoint or a gateway' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l template -d 'The template to deploy (default: the one next to the package)' -r -F
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when stderr is a terminal and `NO_COLOR` is not set'
always\t''
never\t''"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l manifest-path -d 'Path to the Cargo.toml of the package or workspace' -r -F
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -s p -l package -d 'Package to work on (repeatable; default: the current package, or the workspace\'s default members)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l bin -d 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l message-format -d 'Output format of results' -r -f -a "human\t'Status lines for people, on stderr'
json\t'One JSON object per result on stdout; human lines stay on stderr'"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -s r -l release -d 'Build with the release profile, the default (cargo\'s spelling, accepted as is)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l debug -d 'Build with the dev profile'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l all-features -d 'Activate all available features'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l no-default-features -d 'Do not activate the `default` feature'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l locked -d 'Assert that Cargo.lock will remain unchanged'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l offline -d 'Run without accessing the network'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l frozen -d 'Equivalent to --locked and --offline'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l no-verify -d 'Skip checking the executables against the runtime (the package may then fail to start on FC)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l no-build -d 'Deploy the bootstrap the last build left instead of building first'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l dry-run -d 'With --tool: print the command and the package it would deploy, and run nothing'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -l plan -d 'Show what the deployment would change, field by field, and change nothing (read-only API calls)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -s v -l verbose -d 'Use verbose output (-vv also makes cargo verbose)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -s q -l quiet -d 'Print only errors and results'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from deploy" -s V -l version -d 'Print version'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from invoke" -l event -d 'Read the event from this file' -r -F
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from invoke" -l data -d 'The event itself (default: standard input when it is not a terminal, else empty)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from invoke" -l region -d 'The region (default: the template\'s `region`, else ALIBABA_CLOUD_REGION_ID)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from invoke" -l endpoint -d 'The API endpoint instead of the region\'s, e.g. a VPC endpoint or http://127.0.0.1:PORT' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from invoke" -l local -d 'Invoke the function `cargo fc local start` serves on 127.0.0.1:PORT (default 8000)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from invoke" -l qualifier -d 'The version or alias to invoke (default: LATEST)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from invoke" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when stderr is a terminal and `NO_COLOR` is not set'
always\t''
never\t''"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from invoke" -l manifest-path -d 'Path to the Cargo.toml of the package or workspace' -r -F
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from invoke" -s p -l package -d 'Package to work on (repeatable; default: the current package, or the workspace\'s default members)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from invoke" -l bin -d 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from invoke" -l message-format -d 'Output format of results' -r -f -a "human\t'Status lines for people, on stderr'
json\t'One JSON object per result on stdout; human lines stay on stderr'"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from invoke" -l async -d 'Invoke asynchronously (`x-fc-invocation-type: Async`): FC queues the event and answers at once with its request id'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from invoke" -s v -l verbose -d 'Use verbose output (-vv also makes cargo verbose)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from invoke" -s q -l quiet -d 'Print only errors and results'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from invoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from invoke" -s V -l version -d 'Print version'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from completions" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when stderr is a terminal and `NO_COLOR` is not set'
always\t''
never\t''"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from completions" -l manifest-path -d 'Path to the Cargo.toml of the package or workspace' -r -F
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from completions" -s p -l package -d 'Package to work on (repeatable; default: the current package, or the workspace\'s default members)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from completions" -l bin -d 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from completions" -l message-format -d 'Output format of results' -r -f -a "human\t'Status lines for people, on stderr'
json\t'One JSON object per result on stdout; human lines stay on stderr'"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from completions" -s v -l verbose -d 'Use verbose output (-vv also makes cargo verbose)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from completions" -s q -l quiet -d 'Print only errors and results'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from completions" -s V -l version -d 'Print version'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from image" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when stderr is a terminal and `NO_COLOR` is not set'
always\t''
never\t''"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from image" -l manifest-path -d 'Path to the Cargo.toml of the package or workspace' -r -F
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from image" -s p -l package -d 'Package to work on (repeatable; default: the current package, or the workspace\'s default members)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from image" -l bin -d 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from image" -l message-format -d 'Output format of results' -r -f -a "human\t'Status lines for people, on stderr'
json\t'One JSON object per result on stdout; human lines stay on stderr'"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from image" -s v -l verbose -d 'Use verbose output (-vv also makes cargo verbose)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from image" -s q -l quiet -d 'Print only errors and results'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from image" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from image" -s V -l version -d 'Print version'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from image" -f -a "build" -d 'Build the builder image of a runtime (its Debian release, a C toolchain and the host\'s Rust) through the Docker engine'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from image" -f -a "list" -d 'List the builder images present in the Docker engine'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from image" -f -a "rm" -d 'Remove builder images: the ones named, or all of a runtime, or all of them'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from image" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from doctor" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when stderr is a terminal and `NO_COLOR` is not set'
always\t''
never\t''"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from doctor" -l manifest-path -d 'Path to the Cargo.toml of the package or workspace' -r -F
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from doctor" -s p -l package -d 'Package to work on (repeatable; default: the current package, or the workspace\'s default members)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from doctor" -l bin -d 'Binary to build as a function (repeatable; default: every bin of the selected packages, or their `default-run`)' -r
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from doctor" -l message-format -d 'Output format of results' -r -f -a "human\t'Status lines for people, on stderr'
json\t'One JSON object per result on stdout; human lines stay on stderr'"
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from doctor" -s v -l verbose -d 'Use verbose output (-vv also makes cargo verbose)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from doctor" -s q -l quiet -d 'Print only errors and results'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from doctor" -s V -l version -d 'Print version'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from help" -f -a "build" -d 'Compile the functions for their FC runtime and verify the executables'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from help" -f -a "pack" -d 'Build, verify and zip each function with its assets into a reproducible package'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from help" -f -a "new" -d 'Create a new function crate, with template.yml and s.yaml pointing at its package'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from help" -f -a "local" -d 'Run a packed function on this machine the way FC runs it'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from help" -f -a "check" -d 'Check the deployment template (template.yml or s.yaml) against FC\'s rules and the project'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from help" -f -a "deploy" -d 'Build, pack and check, then deploy with Serverless Devs (`s`) or Fun'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from help" -f -a "invoke" -d 'Invoke a deployed function through FC\'s API (or one `cargo fc local start` serves) and print its result'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from help" -f -a "completions" -d 'Print a shell completion script for cargo-fc'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from help" -f -a "image" -d 'Manage the Docker images the docker builder compiles in'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from help" -f -a "doctor" -d 'Show what cargo fc would use on this machine (Docker, builder images, zig, Rust, s/fun) and how to fix what is missing'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand fc; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand help; and not __fish_seen_subcommand_from fc help" -f -a "fc" -d 'Build, verify, pack and run Rust functions for Alibaba Cloud Function Compute custom runtimes'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand help; and not __fish_seen_subcommand_from fc help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand help; and __fish_seen_subcommand_from fc" -f -a "build" -d 'Compile the functions for their FC runtime and verify the executables'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand help; and __fish_seen_subcommand_from fc" -f -a "pack" -d 'Build, verify and zip each function with its assets into a reproducible package'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand help; and __fish_seen_subcommand_from fc" -f -a "new" -d 'Create a new function crate, with template.yml and s.yaml pointing at its package'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand help; and __fish_seen_subcommand_from fc" -f -a "local" -d 'Run a packed function on this machine the way FC runs it'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand help; and __fish_seen_subcommand_from fc" -f -a "check" -d 'Check the deployment template (template.yml or s.yaml) against FC\'s rules and the project'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand help; and __fish_seen_subcommand_from fc" -f -a "deploy" -d 'Build, pack and check, then deploy with Serverless Devs (`s`) or Fun'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand help; and __fish_seen_subcommand_from fc" -f -a "invoke" -d 'Invoke a deployed function through FC\'s API (or one `cargo fc local start` serves) and print its result'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand help; and __fish_seen_subcommand_from fc" -f -a "completions" -d 'Print a shell completion script for cargo-fc'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand help; and __fish_seen_subcommand_from fc" -f -a "image" -d 'Manage the Docker images the docker builder compiles in'
complete -c cargo-fc -n "__fish_cargo_fc_using_subcommand help; and __fish_seen_subcommand_from fc" -f -a "doctor" -d 'Show what cargo fc would use on this machine (Docker, builder images, zig, Rust, s/fun) and how to fix what is missing'
