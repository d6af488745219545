import { launchFactory } from "./launch";

await launchFactory("dev");
