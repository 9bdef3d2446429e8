# Shared settings of the CI steps (sourced, not run). Set by the workflow (docs/ci/github/*.yml):
#   PULUMI_STACK        the stack to work on (required), e.g. "prod" or "acme/prod"
#   PULUMI_WORK_DIR     the Pulumi project directory (default: the current directory)
#   PULUMI              the pulumi command (default: pulumi; this repository's tests use bin/pulumi-ksc-run)
# The KSC connection comes from the stack configuration or the KSC_* environment variables (KSC_SERVER_URL,
# KSC_USER, KSC_PASSWORD, KSC_CA_CERT), the backend from PULUMI_BACKEND_URL and PULUMI_CONFIG_PASSPHRASE.
#
# Every command runs the program, so the provider gets the stack's configuration as it is now (a rotated
# password, a new server URL) in refresh, destroy and `--refresh` too, not the copy saved at the last `up`.
# Without this, pulumi-ksc refuses those commands before logging in (docs/configuration.md, "Which
# configuration each command uses"). The workflows set it too; a step that sources this file cannot lose it.
export PULUMI_RUN_PROGRAM=true
: "${PULUMI_STACK:?set PULUMI_STACK to the stack to work on}"
PULUMI="${PULUMI:-pulumi}"
cd "${PULUMI_WORK_DIR:-.}"
# Plain text for logs and comments: no colours, no progress dots, no prompts.
PULUMI_TEXT_ARGS=(--stack "$PULUMI_STACK" --color never --suppress-progress --non-interactive)
# Appends markdown to the job summary when the CI system provides one (GitHub Actions does).
summary() { if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat >>"$GITHUB_STEP_SUMMARY"; else cat >/dev/null; fi; }
