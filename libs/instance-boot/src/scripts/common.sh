# shellcheck shell=bash
# Shared by the instance runtime and the database provisioner. Every absolute path is below $ROOT.

log() { printf 'hafleet: %s\n' "$*" >&2; }
die() { printf 'hafleet: error: %s\n' "$*" >&2; exit 1; }

# write_file PATH MODE OWNER < content: a temp file beside PATH, then a rename; no reader sees half a file.
write_file() {
  local path=$1 mode=$2 owner=$3 tmp
  mkdir -p "$(dirname "$path")"
  tmp=$(mktemp "$(dirname "$path")/.hafleet.XXXXXX")
  if ! { cat >"$tmp" && chmod "$mode" "$tmp" && chown "$owner" "$tmp" && mv -f "$tmp" "$path"; }; then
    rm -f "$tmp"
    die "could not write $path"
  fi
}

# A quote, backslash or line break in a value would break a rendered file: such values are refused.
readonly JQ_UNSAFE='def unsafe: explode | any(. == 34 or . == 39 or . == 92 or . == 10 or . == 13);'

# PARAMS: the published parameters below PARAMETER_PATH, keyed by their name below it (db/port).
declare -A PARAMS=()
read_parameters() {
  local page token='' all='{}' args bad key value
  while :; do
    args=(ssm get-parameters-by-path --path "$PARAMETER_PATH" --recursive --with-decryption --max-items 50 --output json)
    if [ -n "$token" ]; then args+=(--starting-token "$token"); fi
    page=$(aws "${args[@]}") || die "cannot read the parameters under $PARAMETER_PATH (check the instance role, and that the stack is applied)"
    all=$(jq -c --arg path "$PARAMETER_PATH" --argjson all "$all" \
      '$all + ([.Parameters[] | {key: (.Name | ltrimstr($path)), value: .Value}] | from_entries)' <<<"$page")
    token=$(jq -r '.NextToken // empty' <<<"$page")
    if [ -z "$token" ]; then break; fi
  done
  bad=$(jq -r --arg path "$PARAMETER_PATH" "$JQ_UNSAFE"' [to_entries[] | select(.value | unsafe) | $path + .key] | join(", ")' <<<"$all")
  if [ -n "$bad" ]; then die "$bad: holds a quote, backslash or line break, which would break $CONFIG_DESCRIPTION; publish a value without them"; fi
  while IFS= read -r -d '' key && IFS= read -r -d '' value; do PARAMS[$key]=$value; done < <(jq -j 'to_entries[] | .key + "\u0000" + .value + "\u0000"' <<<"$all")
}

# require_parameters KEY...: stops naming every missing parameter at once.
require_parameters() {
  local key missing=''
  for key in "$@"; do
    if [ -z "${PARAMS[$key]:-}" ]; then missing="$missing $PARAMETER_PATH$key"; fi
  done
  if [ -n "$missing" ]; then die "missing published parameter(s):$missing (apply the tenant's stack)"; fi
}

# read_secret ARN: the SecretString (JSON) of the secret's current version.
read_secret() {
  aws secretsmanager get-secret-value --secret-id "$1" --output json | jq -er '.SecretString'
}

# wait_for_secret ARN WHAT: read_secret, retried for up to SECRET_WAIT_SECONDS while the secret has
# no value yet (the database provisioner writes the app secret on the first apply).
wait_for_secret() {
  local deadline=$((SECONDS + SECRET_WAIT_SECONDS))
  while :; do
    if read_secret "$1"; then return 0; fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      die "$2 ($1) still has no value after ${SECRET_WAIT_SECONDS}s (is the database provisioner done? see README: What an instance does at boot)"
    fi
    log "waiting for a value in $2 ($1)"
    sleep 10
  done
}

# secret_field JSON FIELD WHAT: the field's value, refused when it would break the rendered config.
secret_field() {
  jq -j --arg field "$2" "$JQ_UNSAFE"' .[$field] // "" | tostring | if unsafe then error("unsafe") else . end' <<<"$1" 2>/dev/null ||
    die "$3 holds a quote, backslash or line break, which would break $CONFIG_DESCRIPTION; set a value without them"
}
