from .loop_import import loop_import_run


def run_loop_import(loop_import_id: int):
    loop_import_run(loop_import_id=loop_import_id)
