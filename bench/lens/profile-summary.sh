#!/usr/bin/env bash
# Summarises a JFR recording's execution samples: bench/lens/profile-summary.sh FILE.jfr [TOP]
# Prints the TOP (25) hottest top frames, the TOP hottest frames of ai.zmarty code anywhere on the
# stack (inclusive), and how the samples split by thread group.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="$(./zmarty --print-jdk)"
file="$1"; top="${2:-25}"
samples=$(mktemp)
"$JAVA_HOME/bin/jfr" print --events jdk.ExecutionSample --stack-depth 64 "$file" > "$samples"
total=$(grep -c 'jdk.ExecutionSample' "$samples" || true)
echo "execution samples: $total"
echo "--- hottest top frames (self) ---"
awk '/stackTrace = \[/{getline; sub(/^[ \t]+/, ""); sub(/[ \t]+line:.*/, ""); print}' "$samples" | sort | uniq -c | sort -rn | head -n "$top"
echo "--- ai.zmarty frames on the stack (inclusive, once per sample) ---"
awk '/jdk.ExecutionSample/{if (n) for (k in seen) print k; for (k in seen) delete seen[k]; n=1}
     /^[ \t]+ai\.zmarty\./{l=$0; sub(/^[ \t]+/, "", l); sub(/[ \t]+line:.*/, "", l); seen[l]=1}
     END{for (k in seen) print k}' "$samples" | sort | uniq -c | sort -rn | head -n "$top"
echo "--- samples by thread ---"
awk -F'"' '/sampledThread = /{t=$2; gsub(/[-#0-9]+$/, "", t); print t}' "$samples" | sort | uniq -c | sort -rn | head -n 12
rm -f "$samples"
