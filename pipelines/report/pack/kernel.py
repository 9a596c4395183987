"""How the pack's notebooks get their kernel: quiet on the terminal, shut down without a signal.

jupyter_client's shutdown sends SIGINT before the shutdown request. When a notebook has run
to its end the kernel is idle, except that papermill's closing kernel_info request can still
be inside its message handler when the signal lands; ipykernel then logs "KeyboardInterrupt
caught in kernel." on the terminal. An idle kernel needs no interrupt: the shutdown request
alone stops it, and the usual SIGTERM/SIGKILL fallbacks still apply if it does not.

An idle kernel also needs nobody to watch it exit: the review's kernel takes about 0.3 s to
stop after the request, and the page was waiting for it before being exported. So the
shutdown only sends the request; the pack waits for the kernels to be gone, and releases their
connection files and sockets, once its pages are written (`wait_for_exits`), before it moves
the pack into place.
"""

from __future__ import annotations

import asyncio
import threading

from jupyter_client.manager import AsyncKernelManager

# The kernel logs to the terminal that runs `aftersales report`: keep only real errors (the
# TCP-without-encryption notice concerns sockets bound to this machine's loopback, for a
# kernel that lives as long as one notebook).
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]
_exiting: list[GracefulKernelManager] = []  # asked to stop, not yet seen gone
_exiting_lock = threading.Lock()


class GracefulKernelManager(AsyncKernelManager):
    """A kernel manager whose graceful shutdown asks the kernel to stop without interrupting."""

    async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        if now or restart or not self.owns_kernel or not self.has_kernel:
            await super().shutdown_kernel(now=now, restart=restart)
            return
        self.shutting_down = True
        self.stop_restarter()
        await self.request_shutdown()
        with _exiting_lock:
            _exiting.append(self)

    async def finish_exit(self) -> None:
        """Wait for the kernel asked to stop (SIGTERM, then SIGKILL, after the manager's
        shutdown_wait_time), then release its connection file and sockets."""
        await self.finish_shutdown(pollinterval=0.01)
        await self.cleanup_resources()


def wait_for_exits() -> None:
    """Wait until every kernel asked to stop has exited, and release what it held.

    Run in a thread of its own, so that a caller whose thread has an event loop running (a
    notebook building a pack) can wait too.
    """
    with _exiting_lock:
        exiting = list(_exiting)
        _exiting.clear()
    if not exiting:
        return

    async def all_gone() -> None:
        await asyncio.gather(*(manager.finish_exit() for manager in exiting))

    waiter = threading.Thread(target=asyncio.run, args=(all_gone(),), name="kernel-exits")
    waiter.start()
    waiter.join()


def engine_options() -> dict[str, object]:
    """papermill keyword arguments that reach the notebook client: kernel manager and flags."""
    return {
        "kernel_manager_class": GracefulKernelManager,
        "extra_arguments": list(KERNEL_ARGUMENTS),
    }
