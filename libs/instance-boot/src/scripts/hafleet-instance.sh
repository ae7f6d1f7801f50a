# shellcheck shell=bash
# The instance runtime. Constants (TENANT, ROLE, PROFILE paths, the catalogue) are set above this line.

readonly STATE_DIR="$ROOT/etc/hafleet"
readonly RUNTIME_ENV="$STATE_DIR/runtime.env"
readonly SECRET_WAIT_SECONDS="${HAFLEET_SECRET_WAIT_SECONDS:-900}"

# load_configuration: every published parameter and secret value, exported under its HAFLEET_* name.
load_configuration() {
  local key env need missing='' from field name arn value
  read_parameters
  while read -r key env need; do
    if [ -z "$need" ] && [ -z "${PARAMS[$key]:-}" ]; then missing="$missing $PARAMETER_PATH$key"; fi
    export "$env=${PARAMS[$key]:-}"
  done <<<"$PARAMETER_ENV"
  if [ -n "$missing" ]; then die "missing published parameter(s):$missing (apply the tenant's stack)"; fi

  declare -A secrets=()
  while read -r from field env; do
    arn=${PARAMS[$from]:-}
    if [ -z "$arn" ]; then export "$env="; continue; fi # an optional secret the tenant does not have
    if [ -z "${secrets[$arn]:-}" ]; then
      name="secret $PARAMETER_PATH$from"
      secrets[$arn]=$(wait_for_secret "$arn" "$name")
    fi
    value=$(secret_field "${secrets[$arn]}" "$field" "$env")
    export "$env=$value"
  done <<<"$SECRET_ENV"
}

# runtime_env: NAME=value lines of the whole runtime configuration (systemd EnvironmentFile syntax).
runtime_env() {
  local key env rest
  printf '# Written by hafleet-instance from %s at boot and on every refresh: do not edit.\n' "$PARAMETER_PATH"
  while read -r key env rest; do printf '%s=%s\n' "$env" "${!env}"; done <<<"$PARAMETER_ENV"
  while read -r key rest env; do printf '%s=%s\n' "$env" "${!env}"; done <<<"$SECRET_ENV"
}

# render_config: the profile's template with every {{NAME}} replaced; an unknown name is an error.
render_config() {
  local known
  known=" $(cut -d' ' -f2 <<<"$PARAMETER_ENV" | tr '\n' ' ')$(cut -d' ' -f3 <<<"$SECRET_ENV" | tr '\n' ' ')"
  config_template | awk -v known="$known" '
    {
      out = ""; line = $0
      while ((start = index(line, "{{")) > 0) {
        rest = substr(line, start + 2); stop = index(rest, "}}")
        if (stop == 0) break
        name = substr(rest, 1, stop - 1)
        if (index(known, " " name " ") == 0) { print "hafleet: error: the config template names {{" name "}}, which is no runtime value" > "/dev/stderr"; exit 3 }
        out = out substr(line, 1, start - 1) ENVIRON[name]; line = substr(rest, stop + 2)
      }
      print out line
    }'
}

# update_file PATH MODE OWNER < content: writes only when the content differs; sets CHANGED=yes|no.
CHANGED=no
update_file() {
  local tmp
  tmp=$(mktemp)
  cat >"$tmp"
  if [ -f "$1" ] && cmp -s "$tmp" "$1"; then
    CHANGED=no
  else
    write_file "$@" <"$tmp"
    CHANGED=yes
  fi
  rm -f "$tmp"
}

# write_configuration: the env file and the config file from the loaded values; CHANGED says if the config changed.
write_configuration() {
  local rendered
  runtime_env | update_file "$RUNTIME_ENV" 0600 root:root
  rendered=$(mktemp)
  render_config >"$rendered" || die "cannot render $CONFIG_DESCRIPTION"
  update_file "$ROOT$CONFIG_PATH" "$CONFIG_MODE" "$CONFIG_OWNER" <"$rendered"
  rm -f "$rendered"
}

mount_files() {
  local fs=$HAFLEET_FILE_SYSTEM_ID ap=$HAFLEET_ACCESS_POINT_ID dir="$ROOT$MOUNT_PATH" fstab="$ROOT/etc/fstab"
  if ! command -v mount.efs >/dev/null; then
    log "mount.efs missing: installing amazon-efs-utils (bake it into the release AMI to skip this)"
    dnf install -y amazon-efs-utils
  fi
  mkdir -p "$dir"
  touch "$fstab"
  { awk -v dir="$MOUNT_PATH" '$2 != dir' "$fstab"
    printf '%s:/ %s efs _netdev,noresvport,tls,iam,accesspoint=%s 0 0\n' "$fs" "$MOUNT_PATH" "$ap"
  } | update_file "$fstab" 0644 root:root
  if mountpoint -q "$dir"; then
    log "$MOUNT_PATH already mounted"
  else
    mount -t efs -o "tls,iam,accesspoint=$ap" "$fs:/" "$dir"
    log "mounted $fs (access point $ap) at $MOUNT_PATH"
  fi
}

boot() {
  log "boot: tenant $TENANT, $ROLE, profile $PROFILE, release $RELEASE"
  if ! command -v jq >/dev/null; then dnf install -y jq; fi
  mkdir -p "$STATE_DIR"
  load_configuration
  mount_files
  write_configuration
  log "wrote $RUNTIME_ENV and $CONFIG_PATH"
  systemctl daemon-reload
  systemctl enable --now "$REFRESH_TIMER"
  if [ "$ROLE" = worker ]; then systemctl enable --now "$CRON_TIMER"; fi
  local service
  for service in $SERVICES; do systemctl enable --now "$service"; done
  # Only now may the target group see this instance as healthy.
  printf 'ok %s %s\n' "$TENANT" "$RELEASE" | write_file "$ROOT$HEALTH_FILE" 0644 root:root
  log "boot: done, $HEALTH_FILE written"
}

# refresh: on a timer; a rotated secret reaches the running services without a relaunch.
refresh() {
  load_configuration
  write_configuration
  if [ "$CHANGED" = yes ]; then
    log "refresh: a value changed, re-rendered $CONFIG_PATH; reloading $SERVICES"
    # shellcheck disable=SC2086 # SERVICES is a space-separated list of unit names
    systemctl try-reload-or-restart $SERVICES
  fi
}

# heartbeat: after each successful cron run (the cron unit's ExecStartPost).
heartbeat() {
  aws cloudwatch put-metric-data --namespace "$HEARTBEAT_NAMESPACE" --metric-name "$HEARTBEAT_METRIC" \
    --dimensions "$HEARTBEAT_DIMENSION=$TENANT" --value 1 --unit Count
}

case "${1:-}" in
  boot) boot ;;
  refresh) refresh ;;
  heartbeat) heartbeat ;;
  *) die "usage: $0 boot|refresh|heartbeat" ;;
esac
