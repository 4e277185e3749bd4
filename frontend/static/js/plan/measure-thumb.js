// The designer's measurement form: the plan beside the list of walls, the wall being typed or
// pointed at highlighted on it.
import { drawThumbnail, linkList } from "./thumbnail.js";

const plan = JSON.parse(document.getElementById("plan-data").textContent);
const svg = document.getElementById("measure-plan");
drawThumbnail(svg, plan);
linkList(document.getElementById("measure-walls"), svg);
