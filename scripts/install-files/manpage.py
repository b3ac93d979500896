#!/usr/bin/env python3
"""Writes crumbs(1) in troff from the binary's own help, so the page never drifts from the flags.

Usage: manpage.py CRUMBS_BINARY > crumbs.1
"""
import subprocess
import sys

binary = sys.argv[1]
SUBCOMMANDS = ["run", "classify", "lists", "ca", "graph", "digest"]


def help_text(*arguments):
    return subprocess.run([binary, *arguments, "--help"], capture_output=True, text=True, check=True).stdout


def escape(line):
    # Backslashes first; a line starting with . or ' would be read as a request.
    line = line.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + line if line.startswith((".", "'")) else line


def verbatim(text):
    lines = [".nf"] + [escape(line) for line in text.rstrip("\n").split("\n")] + [".fi"]
    return "\n".join(lines)


version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
out = [
    '.TH CRUMBS 1 "" "%s" "User Commands"' % escape(version),
    ".SH NAME",
    "crumbs \\- a local tracker and cookie inspection proxy",
    ".SH SYNOPSIS",
    ".B crumbs",
    "\\fISUBCOMMAND\\fR [\\fIOPTIONS\\fR]",
    ".SH DESCRIPTION",
    "Crumbs forwards a browser's HTTP requests and HTTPS tunnels, records which third parties each",
    "site makes the browser talk to (never cookie values, bodies or, unless asked, query strings),",
    "classifies them with tracker lists, and writes a daily digest and a site \\(<> tracker graph.",
    "It listens on 127.0.0.1:8080 by default.",
    ".SH COMMANDS",
    verbatim(help_text()),
]
for command in SUBCOMMANDS:
    out += [".SS crumbs %s" % command, verbatim(help_text(command))]
out += [
    ".SH FILES",
    ".TP",
    ".I ~/.local/share/crumbs",
    "the data directory (mode 0700): crumbs.sqlite, secret.key, digests/, ca/, lists/",
    ".TP",
    ".I ~/.config/crumbs/config.toml",
    "the configuration file; every key mirrors a flag of the same name",
    ".SH SIGNALS",
    "SIGHUP reloads the lists; SIGINT and SIGTERM stop after the exchanges under way (at most 5 s)",
    "and after every pending event is written.",
    ".SH LICENSE",
    "GPL\\-3.0\\-or\\-later.",
]
print("\n".join(out))
