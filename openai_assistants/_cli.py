"""The ``openai-assistants`` command: ``demo`` (a whole conversation) and ``serve`` (the fake)."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Callable, Sequence

from ._demo import add_demo

__all__ = ["build_parser", "main"]

Command = Callable[[argparse.Namespace], int]


def _serve(args: argparse.Namespace) -> int:
    """Run the fake server until SIGINT or SIGTERM."""
    from openai_assistants.testing import QUIRKS, FakeAssistantsServer  # only this needs it

    if args.list_quirks:
        for quirk in QUIRKS.values():
            print(
                f"{quirk.name:26} {quirk.area:6} {quirk.summary}\n{'':33} seen in: {quirk.seen_in}"
            )
        return 0
    unknown = [name for name in args.quirk if name not in QUIRKS]
    if unknown:
        print(f"error: unknown quirk(s) {', '.join(unknown)}; see --list-quirks", file=sys.stderr)
        return 2

    async def run() -> None:
        server = FakeAssistantsServer(
            args.api_key,
            host=args.host,
            port=args.port,
            require_beta_header=not args.no_require_beta_header,
            quirks=args.quirk,
        )
        await server.start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        print(f"Fake Assistants API listening on {server.base_url}", flush=True)
        print(f"  OPENAI_BASE_URL={server.base_url}", flush=True)
        print(f"  OPENAI_API_KEY={server.api_key}", flush=True)
        if args.quirk:
            print(f"  quirks: {', '.join(args.quirk)}", flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        try:
            await stop.wait()
        finally:
            await server.close()

    asyncio.run(run())
    print("Stopped.", flush=True)
    return 0


def _add_serve(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser("serve", help="run the fake Assistants API server")
    serve.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port, 0 for any (default 8080)")
    serve.add_argument("--api-key", default="sk-fake", help="key clients must send")
    serve.add_argument(
        "--no-require-beta-header",
        action="store_true",
        help="treat requests without 'OpenAI-Beta' as assistants=v2",
    )
    serve.add_argument(
        "--quirk",
        action="append",
        default=[],
        metavar="NAME",
        help="answer like a real server that deviates from the spec this way (repeatable)",
    )
    serve.add_argument(
        "--list-quirks", action="store_true", help="list the quirks, where each was seen, and exit"
    )
    serve.set_defaults(command=_serve)


# Each subcommand is one ``add_<name>(commands)`` that sets ``command=<callable>``.
SUBCOMMANDS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = [
    add_demo,
    _add_serve,
]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(prog="openai-assistants")
    commands = parser.add_subparsers(dest="name", metavar="COMMAND", required=True)
    for add in SUBCOMMANDS:
        add(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default ``sys.argv[1:]``) and run the chosen command."""
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    command: Command = args.command
    return command(args)
