"""Events of the Characters tab: pick (a cast row or the list), rename, add, merge, delete, train, import a LoRA."""

from __future__ import annotations

import gradio as gr

from . import cast_training, handlers
from .adapters import GPU_LIMIT, GPU_QUEUE, field_validator, gpu, guard, offer_undo, reporter
from .page import Page, cast_table
from .policy import ModelPolicy


def wire_cast(page: Page, policy: ModelPolicy, tab: gr.Tab) -> None:
    chars = page.chars
    # Gradio draws a tab's table only when the tab is first opened, and a value sent before then is lost: the
    # cast is sent again each time the tab opens.
    tab.select(guard(lambda f: cast_table(handlers.view(f))), page.folder, chars.table, show_progress="hidden")

    def character(folder_path, name):
        """The character's row in the form: name, description, and the list's own value."""
        view = handlers.view(folder_path)
        row = next((r for r in view.cast_table if r[0] == name), None)
        if row is None:
            return gr.skip()
        return {chars.pick: row[0], chars.name: row[0], chars.description: row[1]}

    pick_outputs = [chars.pick, chars.name, chars.description]
    chars.pick.input(guard(character), [page.folder, chars.pick], pick_outputs)

    def on_row(folder_path, evt: gr.SelectData):
        row = evt.row_value if isinstance(getattr(evt, "row_value", None), list) else None
        return character(folder_path, row[0]) if row else gr.skip()

    chars.table.select(guard(on_row), page.folder, pick_outputs, show_progress="hidden")
    chars.save.click(guard(lambda f, old, n, d: page.show(handlers.save_character(f, old or n, n, d))),
                     [page.folder, chars.pick, chars.name, chars.description], page.everything())
    chars.add.click(guard(lambda f, n, d: page.show(handlers.save_character(f, None, n, d))),
                    [page.folder, chars.name, chars.description], page.everything())

    @guard
    def on_merge(folder_path, name, into):
        view = handlers.merge_characters(folder_path, name, into)
        offer_undo(f"{name} merged into {into}")
        return {**page.show(view), chars.name: into, chars.pick: into}

    chars.merge.click(on_merge, [page.folder, chars.pick, chars.merge_into],
                      [*page.everything(), chars.name])

    @guard
    def on_delete(folder_path, name):
        view = handlers.delete_character(folder_path, name)
        offer_undo(f"{name} deleted")
        return page.show(view)

    chars.delete.click(on_delete, [page.folder, chars.pick], page.everything())

    @guard
    def on_check_pictures(folder_path, name, files, class_word, steps):
        crops, captions, prepared = cast_training.prepare_character(folder_path, name, files, class_word)
        for line in prepared.rejected[:5]:
            gr.Warning(line)
        info = (f"Trigger word **{prepared.trigger}**, class **{prepared.class_word}** · {prepared.face_note} · "
                f"{cast_training.training_estimate(steps)}")
        return crops, captions, info

    chars.check.click(on_check_pictures, [page.folder, chars.pick, chars.pictures, chars.class_word, chars.steps],
                      [chars.crops, chars.captions, chars.summary])

    @gpu
    @guard
    def on_train(folder_path, name, files, class_word, captions, model, steps, rank, resolution,
                 progress=gr.Progress()):  # noqa: B008
        model = policy.check(model, "model")
        for previews, view, summary in cast_training.train_character_live(
                folder_path, name, files, class_word, captions, model, steps, rank, resolution,
                reporter(progress)):
            if view is None:  # still training: show the previews so far
                yield {chars.previews: previews}
            else:
                yield {**page.cards(view, keep_selection=True), chars.table: cast_table(view),
                       chars.previews: previews, chars.summary: summary}

    train_inputs = [page.folder, chars.pick, chars.pictures, chars.class_word, chars.captions, chars.model,
                    chars.steps, chars.rank, chars.resolution]
    chars.train.click(on_train, train_inputs, [*page.cards_outputs(), chars.table, chars.previews, chars.summary],
                      concurrency_id=GPU_QUEUE, concurrency_limit=GPU_LIMIT, show_progress_on=[chars.summary],
                      validator=field_validator(train_inputs, {chars.model: lambda v, _: policy.check(v)}))
    chars.cancel.click(guard(handlers.cancel), page.folder, None, queue=False)
    chars.import_lora.click(guard(lambda f, n, file: page.show(cast_training.import_character_lora(f, n, file))),
                            [page.folder, chars.pick, chars.lora_file], page.everything())
