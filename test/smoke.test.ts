import { describe, expect, it } from "vitest";
import { motoEndpoint, rgwEndpoint } from "./support/servers.js";

describe("test servers", () => {
  it.skipIf(!rgwEndpoint())("RGW answers on loopback", async () => {
    const response = await fetch(`${rgwEndpoint()}/`);
    expect(response.status).toBe(200);
  });
  it.skipIf(!motoEndpoint())("moto answers on loopback", async () => {
    const response = await fetch(`${motoEndpoint()}/moto-api/`);
    expect(response.ok).toBe(true);
  });
});
