#!/usr/bin/env bash
# The package test: installs a dojobber build tree into a fresh prefix, builds
# hello_plugin/ (the plugin guide's worked example) against that installed
# package only, then runs the installed binary on it and on the bundled movie
# plugin; builds hello_test/ (hello's tests with the test kit,
# dojobber::testing) the same way and runs them.
#
# usage: package_test.sh BUILD_DIR CXX_COMPILER [GENERATOR [MAKE_PROGRAM]]
#
# The plugin is built with the build tree's compiler, C++ flags and
# sanitizers (DOJOBBER_SANITIZE from its CMakeCache.txt): a plugin loaded
# into a sanitized binary must be built the same way.
set -uo pipefail

usage="usage: package_test.sh BUILD_DIR CXX_COMPILER [GENERATOR [MAKE_PROGRAM]]"
build_dir=${1:?$usage}
cxx=${2:?$usage}
generator=${3:-}
make_program=${4:-}
here=$(cd "$(dirname "$0")" && pwd)

checks=0
failures=0
ok() { checks=$((checks + 1)); echo "ok: $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL: $*"; }
die() { echo "FAIL: $*"; echo "package test FAILED"; exit 1; }

cache="$build_dir/CMakeCache.txt"
[[ -f $cache ]] || die "$cache not found: '$build_dir' is not a configured build tree"
cache_value() { sed -n "s/^$1:[A-Za-z_]*=//p" "$cache" | head -n 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dojobber-package.XXXXXX") || die "cannot create a temp dir"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
prefix="$tmp/prefix"
libdir=$(cache_value CMAKE_INSTALL_LIBDIR)
dojobber="$prefix/bin/dojobber"

# step NAME COMMAND...: runs a setup step; stops the test with its output if
# it fails.
step() {
  local name=$1
  shift
  if "$@" >"$tmp/step.log" 2>&1; then
    ok "$name"
  else
    echo "---- output of: $*"
    cat "$tmp/step.log"
    echo "----"
    die "$name"
  fi
}

# expect_run NAME STATUS COMMAND...: runs COMMAND with stdout and stderr in
# $tmp/NAME.out and $tmp/NAME.err and checks its exit status.
expect_run() {
  local name=$1 want=$2 got=0
  shift 2
  "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || got=$?
  if [[ $got == "$want" ]]; then
    ok "$name: exit status $got"
  else
    fail "$name: exit status $got, expected $want; command: $*"
    echo "---- stdout"; cat "$tmp/$name.out"
    echo "---- stderr"; cat "$tmp/$name.err"
    echo "----"
  fi
}

# expect_text NAME out|err TEXT: NAME's stdout or stderr contains the line part TEXT.
expect_text() {
  if grep -qF -- "$3" "$tmp/$1.$2"; then
    ok "$1: std$2 has '$3'"
  else
    fail "$1: std$2 lacks '$3'"
    echo "---- std$2"; cat "$tmp/$1.$2"; echo "----"
  fi
}

# expect_file PATH CONTENT: PATH holds exactly CONTENT (plus a final newline).
expect_file() {
  if [[ -f $1 && $(cat "$1") == "$2" ]]; then
    ok "$1 holds '$2'"
  else
    fail "$1 does not hold '$2'"
  fi
}

# --- The plugin guide shows exactly the sources built here ---
guide="$here/../../docs/plugin-guide.md"
# first_block LANG: the first ```LANG block of the guide.
first_block() { awk -v open='```'"$1" '$0 == open && !done {inside = 1; next}
  inside && $0 == "```" {inside = 0; done = 1} inside' "$guide"; }
for pair in cpp:hello.cc cmake:CMakeLists.txt; do
  if diff <(first_block "${pair%%:*}") "$here/hello_plugin/${pair#*:}" >"$tmp/guide.diff"; then
    ok "docs/plugin-guide.md shows hello_plugin/${pair#*:} verbatim"
  else
    fail "docs/plugin-guide.md differs from hello_plugin/${pair#*:}:"
    cat "$tmp/guide.diff"
  fi
done

# --- Install ---
[[ -x $build_dir/bin/dojobber ]] || die "$build_dir/bin/dojobber is missing: build the project first"
step "install into a fresh prefix" env -u DESTDIR cmake --install "$build_dir" --prefix "$prefix"
for file in "$dojobber" "$prefix/$libdir/dojobber/plugins/movie.so" \
            "$prefix/include/dojobber/dojobber.h" \
            "$prefix/include/dojobber/testing.h" \
            "$prefix/$libdir/libdojobber_testing.a" \
            "$prefix/$libdir/cmake/dojobber/dojobberConfig.cmake" \
            "$prefix/$libdir/cmake/dojobber/dojobberConfigVersion.cmake"; do
  if [[ -f $file ]]; then ok "installed ${file#"$prefix/"}"; else fail "not installed: ${file#"$prefix/"}"; fi
done

# --- Build hello_plugin out of tree, against the installed package ---
cxx_flags="$(cache_value CMAKE_CXX_FLAGS) -Wall -Wextra -Wpedantic -Wshadow -Wconversion"
cxx_flags+=" -Wsign-conversion -Wold-style-cast"
# GCC 12's false -Wrestrict positives inside std::string (GCC bug 105329).
if ! "$cxx" -dM -E -x c++ /dev/null 2>/dev/null | grep -q __clang__; then
  cxx_flags+=" -Wno-restrict"
fi
[[ $(cache_value DOJOBBER_WERROR) == ON ]] && cxx_flags+=" -Werror"
link_flags=$(cache_value CMAKE_MODULE_LINKER_FLAGS)
exe_link_flags=$(cache_value CMAKE_EXE_LINKER_FLAGS)
sanitize=$(cache_value DOJOBBER_SANITIZE)
if [[ -n $sanitize ]]; then
  cxx_flags+=" -fsanitize=$sanitize -fno-sanitize-recover=all -fno-omit-frame-pointer"
  link_flags+=" -fsanitize=$sanitize"
  exe_link_flags+=" -fsanitize=$sanitize"
fi

configure=(cmake -S "$here/hello_plugin" -B "$tmp/hello-build"
  "-DCMAKE_PREFIX_PATH=$prefix"
  "-DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON"
  "-DCMAKE_CXX_COMPILER=$cxx"
  "-DCMAKE_CXX_FLAGS=$cxx_flags"
  "-DCMAKE_MODULE_LINKER_FLAGS=$link_flags"
  "-DCMAKE_EXE_LINKER_FLAGS=$exe_link_flags")
[[ -n $generator ]] && configure+=(-G "$generator")
[[ -n $make_program ]] && configure+=("-DCMAKE_MAKE_PROGRAM=$make_program")
build_type=$(cache_value CMAKE_BUILD_TYPE)
[[ -n $build_type ]] && configure+=("-DCMAKE_BUILD_TYPE=$build_type")
# The very dependencies dojobber was built with: nlohmann_json is part of the
# plugin ABI.
for dep in nlohmann_json_DIR Boost_DIR; do
  value=$(cache_value "$dep")
  [[ -n $value && $value != *-NOTFOUND ]] && configure+=("-D$dep=$value")
done
step "configure hello_plugin with find_package(dojobber)" "${configure[@]}"
found=$(sed -n 's/^dojobber_DIR:PATH=//p' "$tmp/hello-build/CMakeCache.txt")
if [[ $found == "$prefix/$libdir/cmake/dojobber" ]]; then
  ok "find_package(dojobber) found the installed package"
else
  fail "find_package(dojobber) found '$found', not $prefix/$libdir/cmake/dojobber"
fi
step "build hello.so" cmake --build "$tmp/hello-build"
hello="$tmp/hello-build/hello.so"
[[ -f $hello ]] || die "$hello was not built"
# dojobber::sdk is headers only: a plugin holds none of the engine's code.
if nm -C "$hello" | grep -q 'dojobber::core::'; then
  fail "hello.so holds engine code (dojobber::core symbols): dojobber::sdk links the engine"
else
  ok "hello.so holds no engine code"
fi

# --- Build and run hello's tests with the test kit, against the installed package ---
test_configure=("${configure[@]}")
test_configure[2]="$here/hello_test"
test_configure[4]="$tmp/hello-test-build"
step "configure hello_test with find_package(dojobber)" "${test_configure[@]}"
step "build hello_test (dojobber::testing)" cmake --build "$tmp/hello-test-build"
# Its retry test waits out 5 tries 60 s apart: four minutes, which only the
# fake clock fits into this limit.
expect_run hello-test 0 timeout 60 "$tmp/hello-test-build/hello_test"
expect_text hello-test out "[  PASSED  ] 3 tests."

# --- Run the installed binary on the out-of-tree plugin ---
srv="$tmp/srv"
hello_run=("$dojobber" run --plugin "$hello" --root Deploy --default-retry-delay 0
  --arg "prefix=$srv" --arg "greeting=Hi there" --arg users=ann,bob)

expect_run hello-first 0 "${hello_run[@]}" -v
expect_text hello-first out "Result: SUCCESS"
expect_text hello-first out "6 jobs: 1 ok, 5 changed, 0 failed, 0 blocked"
expect_text hello-first err "HelloConfig.recheck: pass"
expect_text hello-first err "[HelloService] restarting hello"
expect_file "$srv/hello/hello.conf" "greeting = Hi there"
expect_file "$srv/hello/running" "greeting = Hi there"
expect_file "$srv/hello/users/bob" "Hi there, bob!"
if [[ -e $srv/hello/hello.conf.new ]]; then
  fail "HelloConfig's Cleanup left hello.conf.new behind"
else
  ok "no staging file left behind"
fi

expect_run hello-again 0 "${hello_run[@]}"
expect_text hello-again out "6 jobs: 6 ok, 0 changed, 0 failed, 0 blocked"

expect_run hello-no-prefix 1 "$dojobber" run --plugin "$hello" --root Deploy --default-retry-delay 0
expect_text hello-no-prefix out "argument 'prefix' is required (--arg prefix=VALUE)"
expect_text hello-no-prefix out "Result: FAILED"

expect_run hello-bad-user 2 "$dojobber" run --plugin "$hello" --root Deploy --arg users=../etc
expect_text hello-bad-user err "registration failed: argument 'users': \"../etc\" is not a user name"

# --- Run the installed binary on a bundled plugin, found by name ---
expect_run movie 0 "$dojobber" run --plugin movie --root WatchMovie --default-retry-delay 0 \
  --arg battery_state=charged --arg couch_space=true
expect_text movie out "20 jobs: 12 ok, 8 changed, 0 failed, 0 blocked"
expect_text movie out "Result: SUCCESS"

if ((failures > 0)); then
  echo "package test FAILED: $failures of $checks checks failed"
  exit 1
fi
echo "package test passed: $checks checks"
