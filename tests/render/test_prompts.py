"""Scene prompts: framing and who first, then what, where, when and the board's style."""

from storyboard.project import Character, Project, Scene
from storyboard.render.prompts import scene_prompt


def test_prompt_orders_framing_people_action_place_time_style():
    project = Project(style="ink wash", characters=[Character("Mara", "a young lighthouse keeper", trigger="sks")])
    scene = Scene(number="1", shot="CU", angle="low", characters=["Mara"], action="Mara lights the lamp.",
                  interior="INT", location="Lamp room", time_of_day="NIGHT")
    scene.validate()
    prompt = scene_prompt(scene, project)
    assert prompt == ("close-up shot, low angle looking up; sks Mara (a young lighthouse keeper); "
                      "Mara lights the lamp.; interior Lamp room; night; ink wash")
