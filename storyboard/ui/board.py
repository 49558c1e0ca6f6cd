"""The board: a grid of panel cards, the studio's home.

A card shows what an artist reads at a glance — the panel, its shot number (4B), shot · angle · move, who is in it
and where, the action, the first lines of dialogue, the duration, and whether it is locked or out of date. Click a
card (or Enter) to select it; drag a card, or Alt+←/→/↑/↓, to move it; the arrow keys move between cards.

Why a `gr.HTML` part with a small script and not another component: Gradio's Gallery shows images and a caption
only (no chips, text or marks) and cannot reorder; its Dataframe is the wide spreadsheet artists gave up on. A
`gradio cc` component would need a Node build in every install. Gradio 6's `gr.HTML` takes a template, scoped CSS
and a script whose `trigger('pick', {...})` raises a server event with data, which is all the board needs.

The page gets escaped HTML only; panel images are card-sized JPEG copies in Gradio's file cache (serving.py), so no
URL names a session folder. Selection and reordering are shown at once by the script; the server answers with only
what changed (the form for a pick, the cards and status for a move).
"""

from __future__ import annotations

import itertools
from html import escape

import gradio as gr

from .. import film
from .serving import card_image
from .view import Card, View

_REVISIONS = itertools.count(1)
EMPTY = ("<div class='sb-empty-board'>No board yet: write or load a story on <b>1 · Story</b> and press "
         "<b>Plan</b>.</div>")


def card_html(card: Card, selected: bool, aspect: str) -> str:
    classes = " ".join(c for c in ("sb-card", "sb-selected" if selected else "", "sb-locked" if card.locked else "",
                                   "sb-stale" if card.stale else "") if c)
    image = card_image(card.panel) if card.panel else None
    frame = (f"<img src='gradio_api/file={escape(image)}' alt='panel {escape(card.number)}' draggable='false'>"
             if image else "<span class='sb-undrawn'>not drawn yet</span>")
    flags = ("<span class='sb-flag' title='locked: Render and re-roll keep it'>🔒</span>" if card.locked else "") + (
        "<span class='sb-flag sb-warn' title='drawn from other inputs: Render to update'>⚠ out of date</span>"
        if card.stale else "")
    chips = "".join(f"<span class='sb-chip'>{escape(v)}</span>" for v in (card.shot, card.angle, card.move) if v)
    who = ", ".join(card.characters)
    meta = " · ".join(escape(p) for p in (who, card.where) if p)
    lines = "".join(f"<p class='sb-line'>{escape(line)}</p>" for line in card.dialogue)
    return (f"<div class='{classes}' data-id='{escape(card.id)}' tabindex='0' draggable='true' role='option' "
            f"aria-selected='{'true' if selected else 'false'}' aria-label='shot {escape(card.number)}'>"
            f"<div class='sb-frame' style='aspect-ratio:{aspect}'>{frame}"
            f"<span class='sb-num'>{escape(card.number)}</span><span class='sb-flags'>{flags}</span></div>"
            f"<div class='sb-chips'>{chips}<span class='sb-dur'>{card.duration_s:g} s</span></div>"
            + (f"<div class='sb-meta'>{meta}</div>" if meta else "")
            + (f"<p class='sb-action'>{escape(card.action)}</p>" if card.action else "")
            + lines + "</div>")


def board_html(view: View, keep_selection: bool = False) -> str:
    """The cards of the board, the selected one highlighted (escaped HTML: nothing from a project runs).

    `keep_selection`: the update comes from a long job (a render streaming panels) that started before the user
    may have picked another card; the page keeps the card the user picked last highlighted."""
    if not view.cards:
        return EMPTY
    ratio = film.ASPECT_RATIOS.get(view.aspect, 16 / 9)
    aspect = f"{ratio:.4f}"
    cards = "".join(card_html(card, card.id == view.selected, aspect) for card in view.cards)
    keep = " data-keep='1'" if keep_selection else ""
    # data-rev changes with every board sent, so the page (and a benchmark) can tell when the server's answer
    # arrived even when the page had already shown it (a move is shown before the server confirms it).
    return (f"<div class='sb-board' role='listbox' aria-label='Board: panel cards' data-rev='{next(_REVISIONS)}'"
            f"{keep}>{cards}</div>")


# The board's script: `element` is the component's root, which stays while its HTML is replaced, so the listeners
# are attached once (event delegation). `trigger` raises a server event; `watch` runs after a re-render.
SCRIPT = """
const cards = () => [...element.querySelectorAll('.sb-card')];
let dragged = null;
let focusAfter = null;
let current = null;  // the card picked last
const highlight = (id) => {
  for (const card of cards()) {
    card.classList.toggle('sb-selected', card.dataset.id === id);
    card.setAttribute('aria-selected', card.dataset.id === id ? 'true' : 'false');
  }
};
const select = (card) => {
  current = card.dataset.id;
  highlight(current);
  trigger('pick', {id: current});
};
const columns = (card) => {
  const template = getComputedStyle(card.parentElement).gridTemplateColumns;
  return Math.max(1, template.split(' ').filter(Boolean).length);
};
const move = (card, to) => {
  const all = cards();
  const from = all.indexOf(card);
  if (to < 0 || to >= all.length || to === from) return;
  card.parentElement.insertBefore(card, to > from ? all[to].nextSibling : all[to]);
  focusAfter = card.dataset.id;
  card.focus();
  trigger('reorder', {id: card.dataset.id, to: to});
};
element.addEventListener('click', (event) => {
  const card = event.target.closest('.sb-card');
  if (card) select(card);
});
element.addEventListener('keydown', (event) => {
  const card = event.target.closest('.sb-card');
  if (!card) return;
  if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); select(card); return; }
  const n = columns(card);
  const step = {ArrowLeft: -1, ArrowRight: 1, ArrowUp: -n, ArrowDown: n}[event.key];
  if (step === undefined) return;
  event.preventDefault();
  const all = cards();
  const to = Math.min(all.length - 1, Math.max(0, all.indexOf(card) + step));
  if (event.altKey) move(card, to); else all[to].focus();
});
element.addEventListener('dragstart', (event) => {
  dragged = event.target.closest('.sb-card');
  if (!dragged) return;
  event.dataTransfer.effectAllowed = 'move';
  event.dataTransfer.setData('text/plain', dragged.dataset.id);
  dragged.classList.add('sb-dragging');
});
const clearDrop = () => element.querySelectorAll('.sb-drop').forEach((c) => c.classList.remove('sb-drop'));
element.addEventListener('dragover', (event) => {
  const card = event.target.closest('.sb-card');
  if (!dragged || !card) return;
  event.preventDefault();
  clearDrop();
  if (card !== dragged) card.classList.add('sb-drop');
});
element.addEventListener('dragend', () => {
  if (dragged) dragged.classList.remove('sb-dragging');
  clearDrop();
  dragged = null;
});
element.addEventListener('drop', (event) => {
  const card = event.target.closest('.sb-card');
  if (!dragged || !card) return;
  event.preventDefault();
  clearDrop();
  if (card !== dragged) move(dragged, cards().indexOf(card));
});
watch('value', () => {
  const board = element.querySelector('.sb-board');
  const chosen = element.querySelector('.sb-selected');
  if (board && board.dataset.keep === '1' && current) highlight(current);
  else if (chosen) current = chosen.dataset.id;
  if (!focusAfter) return;
  const card = element.querySelector(`.sb-card[data-id="${CSS.escape(focusAfter)}"]`);
  focusAfter = null;
  if (card) card.focus();
});
"""

STYLE = """
.sb-board { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 12px; padding: 4px; }
.sb-card { border: 1px solid var(--border-color-primary); border-radius: 8px;
  background: var(--background-fill-primary); padding: 6px;
  cursor: pointer; display: flex; flex-direction: column; gap: 4px; min-width: 0; outline: none; }
.sb-card:hover { border-color: var(--color-accent-soft); }
.sb-card:focus-visible { box-shadow: 0 0 0 3px var(--color-accent-soft); }
.sb-card.sb-selected { border-color: var(--color-accent); box-shadow: 0 0 0 3px var(--color-accent); }
.sb-card.sb-dragging { opacity: 0.4; }
.sb-card.sb-drop { border-style: dashed; border-color: var(--color-accent); }
.sb-frame { position: relative; width: 100%; background: #f4f4f2; border-radius: 4px; overflow: hidden;
  display: flex; align-items: center; justify-content: center; }
.sb-frame img { width: 100%; height: 100%; object-fit: contain; display: block; }
.sb-stale .sb-frame img { opacity: 0.55; }
.sb-undrawn { color: #888; font-size: 12px; }
.sb-num { position: absolute; top: 4px; left: 4px; background: rgba(0,0,0,0.75); color: #fff; font-weight: 700;
  font-size: 14px; padding: 1px 7px; border-radius: 4px; }
.sb-flags { position: absolute; top: 4px; right: 4px; display: flex; gap: 4px; }
.sb-flag { background: rgba(255,255,255,0.92); color: #222; font-size: 12px; padding: 1px 5px; border-radius: 4px; }
.sb-warn { background: #fff3cd; color: #7a4b00; font-weight: 600; }
.sb-chips { display: flex; flex-wrap: wrap; gap: 3px; align-items: center; }
.sb-chip { background: var(--background-fill-secondary); border: 1px solid var(--border-color-primary);
  border-radius: 10px; padding: 0 6px; font-size: 11px; white-space: nowrap; }
.sb-dur { margin-left: auto; font-size: 11px; color: var(--body-text-color-subdued); }
.sb-meta { font-size: 11px; color: var(--body-text-color-subdued); overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; }
.sb-action, .sb-line { margin: 0 !important; font-size: 12px; line-height: 1.35; overflow: hidden;
  display: -webkit-box; -webkit-box-orient: vertical; }
.sb-action { -webkit-line-clamp: 3; }
.sb-line { -webkit-line-clamp: 2; font-style: italic; color: var(--body-text-color-subdued); }
.sb-empty-board { padding: 24px; color: var(--body-text-color-subdued); }
"""


def board_component() -> gr.HTML:
    """The board's part on the page (its events: `.pick` with evt id, `.reorder` with evt id and to)."""
    # STYLE goes in the page's own CSS (app.launch_options), not css_template: gradio rewrites a template's
    # <style> on every value, which restyles the whole page (~50 ms on this machine) each time a card moves.
    return gr.HTML(EMPTY, js_on_load=SCRIPT, elem_id="board", max_height="78vh", apply_default_css=False,
                   padding=False)


def event_data(evt: gr.EventData) -> dict:
    """The data a card event carries ({} when there is none)."""
    data = getattr(evt, "_data", None)
    return data if isinstance(data, dict) else {}
