#!/usr/bin/env bash
# Netlify's build step (deploy/netlify.toml): lays out the static part of Zmarty in OUT (default
# ./site) at the same paths an API node serves it, so the pages run unchanged on a static host:
#   /                 the chat app        (src/main/resources/webroot/index.html, /app/*)
#   /admin/           the admin page      (webroot/admin/index.html)
#   /admin-assets/*   its script and style (webroot/admin/*, as the node mounts them)
#   /webjars/N/V/…    the browser library files the pages load, taken from their WebJars (the local
#                     Maven repository when it has them, else Maven Central), never from the tree
#   /config.js        window.ZMARTY_CONFIG with apiBase from ZMARTY_API_BASE and the public
#                     Supabase values (SUPABASE_URL, SUPABASE_ANON_KEY) when set
#   _headers          the Content-Security-Policy and other headers the node sends for each page
#   _redirects        /eventbus/* proxied to the API (the admin page's bridge, over SockJS's HTTP
#                     transports: Netlify does not proxy WebSockets)
# Needs bash, unzip and (only for a WebJar missing locally) curl. Exit 2 on a bad setting.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
webroot="$root/src/main/resources/webroot"
out="${1:-site}"
maven_local="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
maven_central="${MAVEN_CENTRAL:-https://repo1.maven.org/maven2}"

fail() { echo "netlify-build: $*" >&2; exit 2; }

# --- settings: public values only, checked so they can be written into JSON and headers as they are
api="${ZMARTY_API_BASE:-}"
api="${api%/}"
[[ -n "$api" ]] || fail "ZMARTY_API_BASE must be set to the API's URL (e.g. https://zmarty-api.onrender.com): a static host has no API of its own"
url_re='^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?$'
[[ "$api" =~ $url_re ]] || fail "ZMARTY_API_BASE must be an http(s) URL like https://api.example.com, got '$api'"
supabase_url="${SUPABASE_URL:-}"
supabase_url="${supabase_url%/}"
anon_key="${SUPABASE_ANON_KEY:-}"
if [[ -n "$supabase_url" ]]; then
  [[ "$supabase_url" =~ $url_re ]] || fail "SUPABASE_URL must be an http(s) URL like https://abc.supabase.co, got '$supabase_url'"
  [[ "$anon_key" =~ ^[A-Za-z0-9._-]+$ ]] || fail "SUPABASE_ANON_KEY must be set with SUPABASE_URL (the project's anon or publishable key)"
  # a service key opens every row: it must never reach a browser
  [[ "$anon_key" != sb_secret_* ]] || fail "SUPABASE_ANON_KEY is a secret key (sb_secret_…); use the anon/publishable key"
  payload="$(cut -d. -f2 <<<"$anon_key" | tr '_-' '/+')"
  while (( ${#payload} % 4 )); do payload+="="; done
  if base64 -d <<<"$payload" 2>/dev/null | grep -Eq '"role"[[:space:]]*:[[:space:]]*"service_role"'; then
    fail "SUPABASE_ANON_KEY is a service_role key; use the anon key"
  fi
fi
origin_of() { sed -E 's#^(https?://[^/]+).*#\1#' <<<"$1"; }
json_or_null() { if [[ -n "$1" ]]; then printf '"%s"' "$1"; else printf 'null'; fi; }

# --- the pages and their own files, at the node's paths
rm -rf "$out"
mkdir -p "$out"
cp -R "$webroot/." "$out/"
mkdir -p "$out/admin-assets"
cp -R "$webroot/admin/." "$out/admin-assets/"

# --- the WebJars' files: exactly those the pages, scripts and styles name (/webjars/NAME/VERSION/PATH)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
{ grep -rhoE '/webjars/[A-Za-z0-9._-]+/[0-9][A-Za-z0-9._-]*/[A-Za-z0-9._/-]+' "$webroot" --include='*.html' --include='*.js' --include='*.css' || true; } | sort -u |
  while IFS=/ read -r _ _ name version path; do
    jar="$tmp/$name-$version.jar"
    if [[ ! -f "$jar" ]]; then
      for group in org/webjars/npm org/webjars; do
        if [[ -f "$maven_local/$group/$name/$version/$name-$version.jar" ]]; then
          cp "$maven_local/$group/$name/$version/$name-$version.jar" "$jar"; break
        fi
        if curl -fsSL -o "$jar" "$maven_central/$group/$name/$version/$name-$version.jar" 2>/dev/null; then break; fi
        rm -f "$jar"
      done
    fi
    [[ -f "$jar" ]] || fail "no WebJar $name $version in $maven_local or $maven_central (org.webjars.npm or org.webjars)"
    unzip -q -o "$jar" "META-INF/resources/webjars/$name/$version/$path" -d "$tmp/x" 2>/dev/null || fail "the WebJar $name $version has no $path"
    mkdir -p "$(dirname "$out/webjars/$name/$version/$path")"
    cp "$tmp/x/META-INF/resources/webjars/$name/$version/$path" "$out/webjars/$name/$version/$path"
    echo "netlify-build: /webjars/$name/$version/$path"
  done

# --- config.js: the same shape the API node serves at /config.js
printf 'window.ZMARTY_CONFIG = {"apiBase": %s, "supabaseUrl": %s, "supabaseAnonKey": %s};\n' \
  "$(json_or_null "$api")" "$(json_or_null "$supabase_url")" "$(json_or_null "$anon_key")" >"$out/config.js"

# --- headers as the node sends them (http/WebApp for /, http/AdminPage for /admin/)
api_origin="$(origin_of "$api")"
connect="'self' $api_origin"
[[ -z "$supabase_url" ]] || connect+=" $(origin_of "$supabase_url")"
app_csp="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src $connect; media-src 'self' $api_origin; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
admin_csp="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
{
  for page in / /index.html; do
    printf '%s\n  Content-Security-Policy: %s\n  Referrer-Policy: no-referrer\n  Cache-Control: no-cache\n' "$page" "$app_csp"
  done
  for page in /admin/ /admin/index.html; do
    printf '%s\n  Content-Security-Policy: %s\n  Cache-Control: no-cache\n' "$page" "$admin_csp"
  done
  printf '/config.js\n  Cache-Control: no-cache\n/app/*\n  Cache-Control: no-cache\n/admin-assets/*\n  Cache-Control: no-cache\n'
  printf '/*\n  X-Content-Type-Options: nosniff\n'
} >"$out/_headers"

# --- the admin page's bridge lives on the API: proxied, so the page's same-origin CSP holds
printf '/eventbus/*  %s/eventbus/:splat  200!\n' "$api" >"$out/_redirects"

echo "netlify-build: published $(find "$out" -type f | wc -l) files to $out (API $api)"
