"""Check processes: batches run in children forked after the models loaded, killed on a deadline.

A check that runs long holds its interpreter (spaCy and the regex engines keep the GIL), so it
cannot run on the event loop's own process and still leave ``/healthz`` and other requests
answered; nor can a thread be stopped. Each child is forked from the worker once models, rules
and warm-up are in memory, so it starts in milliseconds and shares those pages copy-on-write.
A batch past its deadline gets its child killed and a fresh one forked in its place.

The children are forked by a fork server, itself forked from the worker after loading: forking
a process of this size copies its page tables (tens of milliseconds, far more on a busy host),
and done by the worker that time would stall its event loop. The fork server also reaps them.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import pickle
import signal
import socket
import struct
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from postguard.policy import Policy
from postguard.post import Post
from postguard.report import Report

log = logging.getLogger("postguard.api")

RunPosts = Callable[[Sequence[Post], Policy], list[Report]]
Load = Callable[[], "tuple[RunPosts | None, dict[str, Any]]"]
Batch = list[tuple[list[Post], Policy]]
Result = list[list[Report] | BaseException]

# Each message on the socket pair: its length (8 bytes, big-endian), then the pickle.
_HEADER = struct.Struct(">Q")


class CheckTimeout(Exception):
    """A batch ran past its deadline; its check process was killed and replaced."""


class CheckProcessDied(Exception):
    """The check process ended while it held a batch (killed from outside, out of memory)."""


def run_batch(run: RunPosts, batch: Batch) -> Result:
    """Run jobs grouped by policy; if a group fails, retry its jobs one by one so one bad post
    fails only its own request."""
    out: list[list[Report] | BaseException | None] = [None] * len(batch)
    groups: dict[int, list[int]] = {}
    for i, (_, policy) in enumerate(batch):
        groups.setdefault(id(policy), []).append(i)
    for idx in groups.values():
        policy = batch[idx[0]][1]
        posts = [p for i in idx for p in batch[i][0]]
        try:
            reports = run(posts, policy)
        except Exception:
            for i in idx:
                try:
                    out[i] = run(batch[i][0], policy)
                except Exception as exc:
                    out[i] = exc
            continue
        pos = 0
        for i in idx:
            n = len(batch[i][0])
            out[i] = reports[pos : pos + n]
            pos += n
    return out  # type: ignore[return-value]


class ForkServer:
    """A copy of the loaded worker whose only job is forking check processes on request."""

    def __init__(self, run: RunPosts | None, policies: Mapping[str, Policy]) -> None:
        self.policies = dict(policies)
        self._run = run
        self._control: socket.socket | None = None
        self._lock = asyncio.Lock()
        self.pid = 0

    def start(self, load: Load | None = None) -> None:
        """Fork the fork server; with ``load``, it first runs ``load`` for its run function and a
        status, which ``loaded`` reads (the models load there while this process goes on)."""
        control, theirs = socket.socketpair()
        worker = os.getpid()
        pid = _fork()
        if pid == 0:  # pragma: no cover - runs in the fork server, which never returns
            control.close()
            if load is None:
                _exit_after(_fork_server, theirs, self._run, self.policies, worker)
            _exit_after(_load_then_fork, theirs, load, self.policies, worker)
        theirs.close()
        control.setblocking(False)
        self.pid, self._control = pid, control

    async def loaded(self) -> dict[str, Any]:
        """The status the fork server's ``load`` sent: its own, or ``{"error": ...}`` if it failed."""
        assert self._control is not None
        loop = asyncio.get_running_loop()
        data = b""
        async with self._lock:
            while len(data) < _HEADER.size or len(data) < _HEADER.size + _HEADER.unpack_from(data)[0]:
                chunk = await loop.sock_recv(self._control, 1 << 16)
                if not chunk:
                    return {"error": "the fork server ended while it loaded"}
                data += chunk
        return pickle.loads(data[_HEADER.size :])

    async def spawn(self) -> tuple[int, socket.socket, int | None]:
        """A new check process: its pid, the worker's end of its socket, and a pidfd if any."""
        assert self._control is not None
        loop = asyncio.get_running_loop()
        async with self._lock:  # one request and its answer at a time on the control socket
            await loop.sock_sendall(self._control, b"f")
            readable = loop.create_future()
            loop.add_reader(self._control.fileno(), lambda: readable.done() or readable.set_result(None))
            try:
                await readable
            finally:
                loop.remove_reader(self._control.fileno())
            data, fds, _, _ = socket.recv_fds(self._control, 16, 2)
        if len(data) < _HEADER.size or not fds:
            raise CheckProcessDied()
        (pid,) = _HEADER.unpack(data[: _HEADER.size])
        return pid, socket.socket(fileno=fds[0]), fds[1] if len(fds) > 1 else None

    def stop(self) -> None:
        if self._control is not None:
            self._control.close()  # the fork server reads EOF and exits
            self._control = None
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0


class CheckProcess:
    """One check process, from the fork server, running the batches it is sent one at a time."""

    def __init__(self, forks: ForkServer) -> None:
        self._forks = forks
        self.pid = 0
        self._pidfd: int | None = None
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self.restarts = 0

    async def start(self) -> None:
        self.pid, sock, self._pidfd = await self._forks.spawn()
        self._streams = await asyncio.open_unix_connection(sock=sock)

    async def run(self, batch: Batch, deadline: float) -> Result:
        """Results for ``batch`` (per job: reports or the exception it raised).

        Raises ``CheckTimeout`` at ``deadline`` (``time.monotonic()``), after killing the process
        and starting another; ``CheckProcessDied`` if it ended by itself.
        """
        if self._streams is None:
            await self.start()
        assert self._streams is not None
        reader, writer = self._streams
        payload = pickle.dumps([(posts, self._name(policy)) for posts, policy in batch], pickle.HIGHEST_PROTOCOL)
        left = deadline - time.monotonic()
        try:
            async with asyncio.timeout(left if left != float("inf") else None):
                writer.write(_HEADER.pack(len(payload)) + payload)
                await writer.drain()
                (size,) = _HEADER.unpack(await reader.readexactly(_HEADER.size))
                return pickle.loads(await reader.readexactly(size))
        except TimeoutError:
            await self._replace("ran past its deadline")
            raise CheckTimeout() from None
        except (EOFError, OSError, asyncio.IncompleteReadError) as exc:
            await self._replace(f"ended ({type(exc).__name__})")
            raise CheckProcessDied() from None

    def _name(self, policy: Policy) -> str | Policy:
        # policies forked into the process are named; any other is sent whole
        return policy.name if self._forks.policies.get(policy.name) is policy else policy

    async def _replace(self, why: str) -> None:
        self.stop()
        self.restarts += 1
        log.warning("check process %s; starting another", why)
        await self.start()

    def stop(self) -> None:
        """Kill the process (the fork server reaps it) and close its socket."""
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None
        if self._pidfd is not None:  # by pidfd: never a later process that reused the pid
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
            os.close(self._pidfd)
            self._pidfd = None
        elif self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        self.pid = 0


def _fork() -> int:
    with warnings.catch_warnings():
        # Forking with threads alive is safe here: the child runs only the loops below, which
        # take no lock another thread may hold (logging re-creates its own locks at fork).
        warnings.simplefilter("ignore", DeprecationWarning)
        return os.fork()


def _exit_after(fn: Callable[..., None], *args: object) -> None:  # pragma: no cover - in a child
    """Run ``fn`` in a forked child and end the child: it must never unwind into the worker's loop."""
    code = 0
    try:
        with contextlib.suppress(ValueError):
            signal.set_wakeup_fd(-1)  # the worker's event loop owns that pipe
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        fn(*args)
    except BaseException:  # noqa: BLE001
        code = 1
    finally:
        os._exit(code)


def _fork_server(control: socket.socket, run: RunPosts, policies: Mapping[str, Policy], worker: int) -> None:  # pragma: no cover
    """Fork a check process for each byte received; answer with its pid, socket and pidfd."""
    _die_with_parent(worker)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the check processes
    me = os.getpid()
    while control.recv(1):
        mine, theirs = socket.socketpair()
        pid = _fork()
        if pid == 0:
            control.close()
            mine.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            _exit_after(_serve, theirs, run, policies, me)
        theirs.close()
        fds = [mine.fileno()]
        pidfd = None
        with contextlib.suppress(AttributeError, OSError):
            pidfd = os.pidfd_open(pid)
            fds.append(pidfd)
        socket.send_fds(control, [_HEADER.pack(pid)], fds)
        mine.close()
        if pidfd is not None:
            os.close(pidfd)


def _load_then_fork(  # pragma: no cover - runs in the fork server
    control: socket.socket, load: Load, policies: Mapping[str, Policy], worker: int
) -> None:
    """Load (in the fork server), send the status, then fork check processes as ``_fork_server``."""
    _die_with_parent(worker)
    try:
        run, status = load()
    except Exception as exc:  # noqa: BLE001 - a missing model or a broken policy: the worker reports it
        run, status = None, {"error": f"{type(exc).__name__}: {exc}"}
    payload = pickle.dumps(status, pickle.HIGHEST_PROTOCOL)
    control.sendall(_HEADER.pack(len(payload)) + payload)
    if run is not None:
        _fork_server(control, run, policies, worker)


def _serve(sock: socket.socket, run: RunPosts, policies: Mapping[str, Policy], parent: int) -> None:  # pragma: no cover
    """A check process's loop: receive a batch, answer with its results; end with its parent."""
    _die_with_parent(parent)
    stream = sock.makefile("rb")
    while True:
        header = stream.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return  # the worker closed its end
        (size,) = _HEADER.unpack(header)
        payload = pickle.loads(stream.read(size))
        batch = [(posts, policies[p] if isinstance(p, str) else p) for posts, p in payload]
        results = [r if isinstance(r, list) else _picklable(r) for r in run_batch(run, batch)]
        answer = pickle.dumps(results, pickle.HIGHEST_PROTOCOL)
        sock.sendall(_HEADER.pack(len(answer)) + answer)


def _picklable(exc: BaseException) -> BaseException:
    try:
        pickle.dumps(exc)
        return exc
    except Exception:  # noqa: BLE001 - any exception that cannot cross the pipe is named instead
        return RuntimeError(type(exc).__name__)


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when the one that forked it dies (even by SIGKILL)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux: the pipe's EOF ends it
        pass
    if os.getppid() != parent:  # it died before prctl took effect
        os._exit(0)
