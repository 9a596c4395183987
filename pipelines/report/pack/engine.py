"""The papermill engine of the pack: the executed notebook is written when its run starts and
when it ends (after a failure too), not before and after every cell.

papermill's own engine writes the whole notebook twice per cell so that a long run can be
followed on disk. The review page carries plotly.js (about 5 MB) from its first chart on, so
those writes add about a second to every pack while the kernel waits for its next cell; a pack
is read when it is done, and a failed run still leaves its notebook, traceback included.
"""

from __future__ import annotations

from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

ENGINE_NAME = "aftersales"


class SaveAtEndsManager(NotebookExecutionManager):
    """papermill's execution bookkeeping, writing the notebook only at the start and the end."""

    saving = True

    def save(self, **kwargs: object) -> None:
        if self.saving:
            super().save(**kwargs)

    def notebook_start(self, **kwargs: object) -> None:
        super().notebook_start(**kwargs)  # written once: parameters injected, no outputs yet
        self.saving = False

    def notebook_complete(self, **kwargs: object) -> None:
        self.saving = True
        super().notebook_complete(**kwargs)


class PackEngine(NBClientEngine):
    """papermill's nbclient engine with `SaveAtEndsManager` (the body of Engine.execute_notebook
    with that one class swapped in)."""

    @classmethod
    def execute_notebook(  # type: ignore[override]
        cls,
        nb,
        kernel_name,
        output_path=None,
        progress_bar=True,
        log_output=False,
        autosave_cell_every=30,
        **kwargs,
    ):
        nb_man = SaveAtEndsManager(
            nb, output_path=output_path, progress_bar=progress_bar, log_output=log_output,
            autosave_cell_every=autosave_cell_every,
        )
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
        finally:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
        return nb_man.nb


def engine_name() -> str:
    """Register the pack's engine with papermill (idempotent) and return its name."""
    papermill_engines.register(ENGINE_NAME, PackEngine)
    return ENGINE_NAME
