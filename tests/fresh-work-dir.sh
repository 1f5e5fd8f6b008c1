# Sourced by the test scripts that are given a work folder to empty (by CMake, or by hand).
# An unguarded `rm -rf "$work"` once deleted a whole checkout, so a folder is only removed
# when it is one these scripts make:
#
#   fresh_work_dir DIR NAME_GLOB   empties DIR (its name must match NAME_GLOB), leaves a mark
#                                  in it and sets $fresh_dir to its absolute path
#
# Refused (exit 64, nothing removed): an empty DIR; a name that does not match; /, $HOME, the
# source tree, the current folder or any folder holding one of them; and a DIR that exists,
# is not empty, and carries neither the mark (.kelisim-work, left by an earlier run) nor lies
# inside a CMake build tree (folders made before the mark existed).

fresh_work_dir() {
	local dir=${1:?fresh_work_dir: no folder given} glob=${2:?fresh_work_dir: no name given}
	local src here up
	fresh_dir=
	dir=$(realpath -m -- "$dir") || return 64
	src=$(realpath -m -- "$(dirname -- "${BASH_SOURCE[0]}")/..")
	here=$(realpath -m -- "$PWD")
	# shellcheck disable=SC2053   # the name is matched against a glob on purpose
	if [[ $(basename -- "$dir") != $glob ]]; then
		echo "fresh_work_dir: refusing to empty '$dir': its name is not $glob" >&2
		return 64
	fi
	for up in "$src" "$here" "${HOME:-/}"; do
		case "$up/" in
		"$dir"/*)
			echo "fresh_work_dir: refusing to empty '$dir': it holds '$up'" >&2
			return 64 ;;
		esac
	done
	if [ -d "$dir" ] && [ -n "$(ls -A -- "$dir")" ] && [ ! -e "$dir/.kelisim-work" ]; then
		up=$dir
		while [ "$up" != / ] && [ ! -f "$up/CMakeCache.txt" ]; do
			up=$(dirname -- "$up")
		done
		if [ "$up" = / ]; then
			echo "fresh_work_dir: refusing to empty '$dir': not made by a kelisim test" \
				"(no .kelisim-work in it); remove it by hand" >&2
			return 64
		fi
	fi
	rm -rf -- "${dir:?}" && mkdir -p -- "$dir" && : >"$dir/.kelisim-work" || return 1
	fresh_dir=$dir
}
