"""Run inside Blender (``blender -b --factory-startup -P cycles_scene.py -- job.json``), not by the app.

Imports the design's self-contained GLB (textures embedded), adds what the GLB leaves to the viewer
(a ceiling, ceiling lights, the sun through the windows, a soft sky, the camera) from ``job.json``,
and renders one still with Cycles on the CPU.  Coordinates in ``job.json`` are Blender's (metres,
Z up: plan x, −plan y, height), cameras in the GLB's frame (Y up) are converted here.
"""

import json
import math
import sys
import time

import bpy
import numpy
from mathutils import Vector

if not hasattr(numpy, "bool"):  # Blender 3.4's glTF importer still says numpy.bool (gone in NumPy 1.24)
    numpy.bool = bool

with open(sys.argv[sys.argv.index("--") + 1]) as handle:
    job = json.load(handle)
started = time.time()
bpy.ops.wm.read_factory_settings(use_empty=True)
bpy.ops.import_scene.gltf(filepath=job["glb"])
print(f"ROOMWRIGHT-IMPORTED in {time.time() - started:.1f} s", flush=True)
scene = bpy.context.scene


def material(name, colour, roughness=0.9, emission=0.0):
    mat = bpy.data.materials.new(name)
    mat.use_nodes = True
    bsdf = mat.node_tree.nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = (*colour, 1.0)
    bsdf.inputs["Roughness"].default_value = roughness
    if emission:
        bsdf.inputs["Emission"].default_value = (1.0, 0.93, 0.82, 1.0)
        bsdf.inputs["Emission Strength"].default_value = emission
    return mat


# ceiling over the rooms (the browser's orbit view has none; a still from inside needs one, a view
# from above the walls, like the editor's orbit camera, must not have one)
if job.get("ceiling") and job["camera"]["position"][1] < job["ceiling"][4]:
    x0, y0, x1, y1, z = job["ceiling"]
    x0, y0, x1, y1, z = x0 - 0.5, y0 - 0.5, x1 + 0.5, y1 + 0.5, z - 0.002  # over the walls' tops: no sky leaks in
    bpy.ops.mesh.primitive_plane_add(size=1, location=((x0 + x1) / 2, (y0 + y1) / 2, z))
    ceiling = bpy.context.active_object
    ceiling.scale = (x1 - x0, y1 - y0, 1)
    ceiling.data.materials.append(material("ceiling", (0.85, 0.85, 0.83)))

for i, (x, y, z, size, watts) in enumerate(job.get("lights", [])):
    data = bpy.data.lights.new(f"ceiling-light-{i}", "AREA")
    data.shape, data.size, data.energy = "DISK", size, watts
    data.color = (1.0, 0.9, 0.78)
    light = bpy.data.objects.new(data.name, data)
    light.location = (x, y, z)
    scene.collection.objects.link(light)

if job.get("sun"):
    data = bpy.data.lights.new("sun", "SUN")
    data.energy, data.angle = job["sun"]["strength"], math.radians(2.0)
    data.color = (1.0, 0.95, 0.88)
    sun = bpy.data.objects.new("sun", data)
    sun.rotation_euler = Vector(job["sun"]["direction"]).to_track_quat("-Z", "Y").to_euler()
    scene.collection.objects.link(sun)

world = bpy.data.worlds.new("sky")
world.use_nodes = True
world.node_tree.nodes["Background"].inputs["Color"].default_value = (0.62, 0.72, 0.85, 1.0)
world.node_tree.nodes["Background"].inputs["Strength"].default_value = job.get("sky", 1.0)
scene.world = world


def blender_point(p):
    """GLB frame (x, y up, z) → Blender (x, −z, y)."""
    return Vector((p[0], -p[2], p[1]))


cam = job["camera"]
camera_data = bpy.data.cameras.new("view")
camera_data.sensor_fit = "VERTICAL"
camera_data.angle = math.radians(cam["fov_deg"])
camera_data.clip_start = 0.05
camera = bpy.data.objects.new("view", camera_data)
camera.location = blender_point(cam["position"])
camera.rotation_euler = (blender_point(cam["target"]) - camera.location).to_track_quat("-Z", "Y").to_euler()
scene.collection.objects.link(camera)
scene.camera = camera

scene.render.engine = "CYCLES"
cycles = scene.cycles
cycles.device = "CPU"
cycles.samples = job["samples"]
cycles.use_adaptive_sampling = True
cycles.adaptive_threshold = 0.02
cycles.use_denoising = False  # the Debian build has no OpenImageDenoise: the app denoises the result
cycles.max_bounces, cycles.diffuse_bounces, cycles.glossy_bounces = 4, 2, 2
cycles.use_fast_gi = True  # after the first bounces, indirect light is approximated (less noise, faster)
cycles.fast_gi_method = "ADD"
world.light_settings.ao_factor = 0.6
world.light_settings.distance = 0.6
cycles.transmission_bounces, cycles.transparent_max_bounces = 4, 8
cycles.sample_clamp_indirect = 4.0
cycles.blur_glossy = 1.0
cycles.auto_scrambling_distance = True
scene.render.use_simplify = True
cycles.texture_limit_render = "1024"
cycles.caustics_reflective = cycles.caustics_refractive = False
scene.render.threads_mode = "FIXED"
scene.render.threads = job.get("threads", 2)
scene.render.resolution_x, scene.render.resolution_y = job["width"], job["height"]
scene.render.resolution_percentage = 100
scene.render.film_transparent = False
scene.view_settings.view_transform = "Filmic"
scene.view_settings.look = "Medium High Contrast"
scene.view_settings.exposure = job.get("exposure", -1.5)
scene.render.image_settings.file_format = "PNG"
scene.render.image_settings.color_depth = "16"
scene.render.filepath = job["output"]
bpy.ops.render.render(write_still=True)
print(f"ROOMWRIGHT-RENDER-DONE in {time.time() - started:.1f} s", flush=True)
