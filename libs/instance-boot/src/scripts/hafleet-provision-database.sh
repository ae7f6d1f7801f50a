# shellcheck shell=bash
# The one-shot database provisioner. Constants (TENANT, PARAMETER_PATH, ...) are set above this line.
# It gives the application its own database user, never the master user, with alternating users:
# each run sets a new password on the user *not* in the app secret, grants it, then points the app
# secret at it. Instances pick the new secret up within minutes; the old user keeps working meanwhile.

readonly SECRET_WAIT_SECONDS="${HAFLEET_SECRET_WAIT_SECONDS:-600}"
readonly DB_WAIT_SECONDS="${HAFLEET_DB_WAIT_SECONDS:-600}"
readonly APP_USERS='hafleet_app_a hafleet_app_b'

# new_password: 48 hex characters, safe in every config syntax and SQL literal.
new_password() {
  od -An -N24 -tx1 /dev/urandom | tr -d ' \n'
}

# run_sql FAMILY HOST PORT DBNAME MASTER_USER MASTER_PASSWORD < sql: over TLS, retried while the
# database is not reachable yet (bounded by DB_WAIT_SECONDS). Passwords travel in the environment
# and on stdin, never on a command line.
run_sql() {
  local family=$1 host=$2 port=$3 db=$4 user=$5 password=$6 sql deadline=$((SECONDS + DB_WAIT_SECONDS))
  sql=$(cat)
  while :; do
    if [ "$family" = mysql ]; then
      if MYSQL_PWD=$password mariadb --host="$host" --port="$port" --user="$user" --ssl --batch --connect-timeout=10 <<<"$sql"; then return 0; fi
    else
      if PGPASSWORD=$password PGSSLMODE=require PGCONNECT_TIMEOUT=10 psql --host="$host" --port="$port" --username="$user" \
        --dbname="$db" --no-psqlrc --quiet --set=ON_ERROR_STOP=1 <<<"$sql"; then return 0; fi
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then die "cannot run the grants on $host:$port after ${DB_WAIT_SECONDS}s"; fi
    log "database $host:$port not ready; retrying in 15 s"
    sleep 15
  done
}

mysql_grants() { # USER PASSWORD DB
  cat <<SQL
CREATE USER IF NOT EXISTS '$1'@'%' IDENTIFIED BY '$2' REQUIRE SSL;
ALTER USER '$1'@'%' IDENTIFIED BY '$2' REQUIRE SSL;
GRANT ALL PRIVILEGES ON \`$3\`.* TO '$1'@'%';
SQL
}

# PostgreSQL: both app users log in as members of hafleet_app and act as it (SET role), so the
# objects one creates stay usable by the other after a rotation.
postgres_grants() { # USER PASSWORD DB
  cat <<SQL
SELECT 'CREATE ROLE hafleet_app NOLOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hafleet_app') \\gexec
SELECT 'CREATE ROLE $1 LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$1') \\gexec
ALTER ROLE $1 WITH LOGIN PASSWORD '$2';
GRANT hafleet_app TO $1;
ALTER ROLE $1 SET role = 'hafleet_app';
GRANT ALL PRIVILEGES ON DATABASE "$3" TO hafleet_app;
GRANT ALL ON SCHEMA public TO hafleet_app;
SQL
}

provision() {
  local master_arn engine family client package host port db app_arn master master_user master_password current='' current_user='' next password
  log "database provisioner: tenant $TENANT"
  if ! command -v jq >/dev/null; then dnf install -y jq; fi
  read_parameters
  require_parameters db/engine db/writer-endpoint db/port db/name db/app-secret-arn "$MASTER_SECRET_PARAMETER"
  master_arn=${PARAMS[$MASTER_SECRET_PARAMETER]}
  engine=${PARAMS[db/engine]} host=${PARAMS[db/writer-endpoint]} port=${PARAMS[db/port]} db=${PARAMS[db/name]} app_arn=${PARAMS[db/app-secret-arn]}
  case "$engine" in
    mysql | aurora-mysql) family=mysql client=mariadb package=mariadb105 ;;
    postgres | aurora-postgresql) family=postgres client=psql package=postgresql16 ;;
    *) die "db/engine \"$engine\" is none of mysql, aurora-mysql, postgres, aurora-postgresql" ;;
  esac
  case "$db" in
    *[!A-Za-z0-9_]* | '') die "db/name \"$db\" must be letters, digits and _" ;;
  esac
  if ! command -v "$client" >/dev/null; then
    log "$client missing: installing $package"
    dnf install -y "$package"
  fi

  master=$(wait_for_secret "$master_arn" "the master user secret")
  master_user=$(secret_field "$master" username 'the master user name')
  master_password=$(secret_field "$master" password 'the master password')
  # No value yet: the first run. Otherwise rotate to the user the app does not use now.
  if current=$(read_secret "$app_arn" 2>/dev/null); then current_user=$(secret_field "$current" username 'the app user name'); fi
  next=hafleet_app_a
  if [ "$current_user" = hafleet_app_a ]; then next=hafleet_app_b; fi
  log "app user now: ${current_user:-none}; setting up $next (users: $APP_USERS)"

  password=$(new_password)
  "${family}_grants" "$next" "$password" "$db" | run_sql "$family" "$host" "$port" "$db" "$master_user" "$master_password"
  jq -n --arg username "$next" --arg password "$password" '{username: $username, password: $password}' |
    aws secretsmanager put-secret-value --secret-id "$app_arn" --secret-string file:///dev/stdin >/dev/null
  log "app secret now names $next; instances re-read it within 5 minutes"

  # What the last successful run did, for a person debugging a rotation.
  printf 'app user %s since %s\n' "$next" "$(date -u +%FT%TZ)" | write_file "$ROOT/var/lib/hafleet/database-provisioned" 0644 root:root
  aws autoscaling set-desired-capacity --auto-scaling-group-name "$AUTO_SCALING_GROUP_NAME" --desired-capacity 0
  log "database provisioner: done; $AUTO_SCALING_GROUP_NAME scaled to 0"
}

provision
