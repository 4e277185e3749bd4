"""Run inside Blender (``blender -b --factory-startup -P cycles_scene.py -- job.json``), not by the app.

Imports the design's self-contained GLB (textures embedded), adds what the GLB leaves to the viewer
(a ceiling, ceiling lights, the sun through the windows, a soft sky, the camera) from ``job.json``,
and renders one still with Cycles on the CPU.  Coordinates in ``job.json`` are Blender's (metres,
Z up: plan x, −plan y, height), cameras in the GLB's frame (Y up) are converted here.
"""

import json
import math
import os
import sys
import time

import _cycles
import bpy
import numpy
from mathutils import Vector

if not hasattr(numpy, "bool"):  # Blender 3.4's glTF importer still says numpy.bool (gone in NumPy 1.24)
    numpy.bool = bool

GUIDES = ("albedo", "normal")

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

for i, win in enumerate(job.get("windows", [])):
    facing = Vector(win["facing"]).to_track_quat("-Z", "Y").to_euler()  # the light's −Z into the room
    for kind in ("portal", "fill") if win["fill_watts"] > 0 else ("portal",):
        data = bpy.data.lights.new(f"window-{i}-{kind}", "AREA")
        data.shape, data.size, data.size_y = "RECTANGLE", win["width"], win["height"]
        if kind == "portal":
            data.cycles.is_portal = True
        else:
            data.energy, data.color = win["fill_watts"], (0.92, 0.96, 1.0)
            data.spread = math.radians(120)
        light = bpy.data.objects.new(data.name, data)
        light.location, light.rotation_euler = win["centre"], facing
        scene.collection.objects.link(light)

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
cycles.use_denoising = False  # below: OpenImageDenoise if this build has it, else the app's guided denoiser
cycles.max_bounces, cycles.diffuse_bounces, cycles.glossy_bounces = 6, 3, 2  # 3 bounces reach into recesses
cycles.use_fast_gi = True  # after the first bounces, indirect light is approximated (less noise, faster)
cycles.fast_gi_method = "ADD"
world.light_settings.ao_factor = 0.6
world.light_settings.distance = 0.6
cycles.transmission_bounces, cycles.transparent_max_bounces = 4, 8
cycles.sample_clamp_indirect = 4.0  # below the usual 10: fewer fireflies from bright bounces
cycles.blur_glossy = 1.0  # filter glossy: no sparkle from the lacquers' and the steel's reflections
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



def openimagedenoise():
    """Whether this Blender's Cycles can denoise with OpenImageDenoise: built with it, and offering it as the
    denoiser (Debian's Blender 3.4 is built without it: ``with_openimagedenoise`` is False and the
    denoiser list is empty, so the app's guided denoiser does the work)."""
    if not getattr(_cycles, "with_openimagedenoise", False):
        return False
    try:
        cycles.denoiser = "OPENIMAGEDENOISE"
    except TypeError:  # "enum not found": not offered by this build
        return False
    return True


guides = job.get("guides")  # a folder: denoise here with OpenImageDenoise when this Blender has it, else write
with_oidn = bool(guides) and openimagedenoise()  # its guides there for the app's denoiser
print(f"ROOMWRIGHT-DENOISER {'OpenImageDenoise' if with_oidn else 'guides for the app' if guides else 'none'}",
      flush=True)
if guides and with_oidn:
    cycles.use_denoising = True
    cycles.denoising_input_passes, cycles.denoising_prefilter = "RGB_ALBEDO_NORMAL", "ACCURATE"
    with open(os.path.join(guides, "denoised"), "w") as handle:
        handle.write("OpenImageDenoise\n")
elif guides:  # Debian's build: no OpenImageDenoise
    scene.view_layers[0].cycles.denoising_store_passes = True
    scene.use_nodes = True
    tree = scene.node_tree
    for node in list(tree.nodes):
        tree.nodes.remove(node)
    layers = tree.nodes.new("CompositorNodeRLayers")
    tree.links.new(layers.outputs["Image"], tree.nodes.new("CompositorNodeComposite").inputs["Image"])
    files = tree.nodes.new("CompositorNodeOutputFile")
    files.base_path = guides
    files.format.file_format, files.format.color_depth = "OPEN_EXR", "16"
    files.file_slots.clear()
    for name in GUIDES:
        files.file_slots.new(name)
        tree.links.new(layers.outputs["Denoising " + name.capitalize()], files.inputs[-1])

bpy.ops.render.render(write_still=True)
if guides and not with_oidn:  # as .npy (top row first, RGB, float), which the app reads without an EXR library
    for name in GUIDES:
        path = next(p for p in os.listdir(guides) if p.startswith(name) and p.endswith(".exr"))
        image = bpy.data.images.load(os.path.join(guides, path))
        width, height = image.size
        pixels = numpy.empty(width * height * image.channels, dtype=numpy.float32)
        image.pixels.foreach_get(pixels)
        numpy.save(os.path.join(guides, name + ".npy"), pixels.reshape(height, width, image.channels)[::-1, :, :3])
print(f"ROOMWRIGHT-RENDER-DONE in {time.time() - started:.1f} s", flush=True)
