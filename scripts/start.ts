import { launchFactory } from "./launch";

await launchFactory("start");
