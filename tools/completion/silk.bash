# SPDX-License-Identifier: GPL-2.0
# bash completion for silkctl, tcpchains, netmeter and qosmgr.
# Installed as one file per command under
# /usr/share/bash-completion/completions (make install), which bash-completion
# loads on first use.

_silk_netns()
{
	COMPREPLY=($(compgen -W "$(ip netns list 2>/dev/null | cut -d' ' -f1)" -- "$cur"))
}

_silkctl()
{
	local cur prev words cword
	_init_completion || return

	case $prev in
	-n | -netns) _silk_netns; return ;;
	-b | -batch) _filedir; return ;;
	class) COMPREPLY=($(compgen -W "fp edf wfq" -- "$cur")); return ;;
	family) COMPREPLY=($(compgen -W "inet inet6" -- "$cur")); return ;;
	lazy | conns | mirror) COMPREPLY=($(compgen -W "on off" -- "$cur")); return ;;
	placement) COMPREPLY=($(compgen -W "hash src owner rr" -- "$cur")); return ;;
	takeover) COMPREPLY=($(compgen -W "on off" -- "$cur")); return ;;
	esac

	# The object and command are the first two words that are not options.
	local i obj= cmd=
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-n | -netns | -b | -batch) ((i++)) ;;
		-*) ;;
		*) if [ -z "$obj" ]; then obj=${words[i]}; elif [ -z "$cmd" ]; then cmd=${words[i]}; fi ;;
		esac
	done

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-json -pretty -statistics -batch -force -netns -help -Version" -- "$cur"))
		return
	fi
	case $obj in
	'') COMPREPLY=($(compgen -W "path conn stats takeover placement meter group help" -- "$cur")) ;;
	path)
		case $cmd in
		'') COMPREPLY=($(compgen -W "add change del show" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "id tcp udp icmp other port default family local remote dscp class prio deadline runtime period weight limit bytes cpu lazy conns mirror name" -- "$cur")) ;;
		esac ;;
	conn) [ -z "$cmd" ] && COMPREPLY=($(compgen -W "show" -- "$cur")) || COMPREPLY=($(compgen -W "id" -- "$cur")) ;;
	meter) COMPREPLY=($(compgen -W "on off interval" -- "$cur")) ;;
	group)
		case $cmd in
		'') COMPREPLY=($(compgen -W "add change del show" -- "$cur")) ;;
		add | change) COMPREPLY=($(compgen -W "rate ratio output port weight ftp" -- "$cur")) ;;
		esac ;;
	esac
}
complete -F _silkctl silkctl

_tcpchains()
{
	local cur prev words cword
	_init_completion || return

	case $prev in
	-n) _silk_netns; return ;;
	-b) _filedir; return ;;
	-A | -R | -a) COMPREPLY=($(compgen -W "a c d" -- "$cur")); return ;;
	-g) COMPREPLY=($(compgen -W "kmp bm" -- "$cur")); return ;;
	-p | -o | -r | -i | -m | -s | -c | -x | -B | -T) return ;;
	esac
	COMPREPLY=($(compgen -W "-A -R -a -D -F -L -b -p -o -r -i -m -s -c -x -B -T -g -j -P -n -h -V" -- "$cur"))
}
complete -F _tcpchains tcpchains

_netmeter()
{
	local cur prev words cword
	_init_completion || return

	case $prev in
	-n) _silk_netns; return ;;
	-p | -w | -c) return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-j -P -p -w -c -n -h -V" -- "$cur"))
	else
		COMPREPLY=($(compgen -W "paths ports" -- "$cur"))
	fi
}
complete -F _netmeter netmeter

_qosmgr()
{
	local cur prev words cword
	_init_completion || return

	case $prev in
	-n) _silk_netns; return ;;
	-c) _filedir; return ;;
	esac
	COMPREPLY=($(compgen -W "-c -1 --once --dry-run -j -p -n -h -V" -- "$cur"))
}
complete -F _qosmgr qosmgr
