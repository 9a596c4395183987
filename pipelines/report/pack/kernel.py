"""How the pack's notebooks get their kernel: quiet on the terminal, shut down without a signal.

jupyter_client's shutdown sends SIGINT before the shutdown request. When a notebook has run
to its end the kernel is idle, except that papermill's closing kernel_info request can still
be inside its message handler when the signal lands; ipykernel then logs "KeyboardInterrupt
caught in kernel." on the terminal. An idle kernel needs no interrupt: the shutdown request
alone stops it, and the usual SIGTERM/SIGKILL fallbacks still apply if it does not.
"""

from __future__ import annotations

from jupyter_client.manager import AsyncKernelManager

# The kernel logs to the terminal that runs `aftersales report`: keep only real errors (the
# TCP-without-encryption notice concerns sockets bound to this machine's loopback, for a
# kernel that lives as long as one notebook).
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]


class GracefulKernelManager(AsyncKernelManager):
    """A kernel manager whose graceful shutdown asks the kernel to stop without interrupting."""

    async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        if now or restart or not self.owns_kernel or not self.has_kernel:
            await super().shutdown_kernel(now=now, restart=restart)
            return
        self.shutting_down = True
        self.stop_restarter()
        await self.request_shutdown()
        await self.finish_shutdown()
        await self.cleanup_resources()


def engine_options() -> dict[str, object]:
    """papermill keyword arguments that reach the notebook client: kernel manager and flags."""
    return {
        "kernel_manager_class": GracefulKernelManager,
        "extra_arguments": list(KERNEL_ARGUMENTS),
    }
