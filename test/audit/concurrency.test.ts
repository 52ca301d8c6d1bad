import { describe, expect, it } from "vitest";
import { mapConcurrent } from "../../src/concurrency.js";

/** Work that finishes in reverse order of start, tracking how many run at once. */
function tracked() {
  let running = 0;
  let peak = 0;
  const fn = async (item: number): Promise<string> => {
    running += 1;
    peak = Math.max(peak, running);
    await new Promise((resolve) => setTimeout(resolve, 20 - item * 3));
    running -= 1;
    return `r${item}`;
  };
  return { fn, peak: () => peak };
}

describe("mapConcurrent", () => {
  it.each([
    { name: "one at a time with width 1", width: 1, peak: 1 },
    { name: "at most width at once", width: 2, peak: 2 },
    { name: "no more than the items when width is larger", width: 10, peak: 5 },
    { name: "still one at a time when width is 0", width: 0, peak: 1 },
  ])("keeps the items' order and runs $name", async ({ width, peak }) => {
    const work = tracked();

    const results = await mapConcurrent([0, 1, 2, 3, 4], width, work.fn);

    expect(results).toEqual(["r0", "r1", "r2", "r3", "r4"]);
    expect(work.peak()).toBe(peak);
  });

  it("returns nothing for no items", async () => {
    expect(await mapConcurrent([], 4, () => Promise.resolve(1))).toEqual([]);
  });

  it("tells onStart each item, its index and how many were done before it", async () => {
    const starts: [string, number, number][] = [];

    await mapConcurrent(
      ["a", "b", "c"],
      1,
      () => Promise.resolve(0),
      (item, index, done) => {
        starts.push([item, index, done]);
      },
    );

    expect(starts).toEqual([
      ["a", 0, 0],
      ["b", 1, 1],
      ["c", 2, 2],
    ]);
  });

  it("rejects when the work does", async () => {
    const fail = () => Promise.reject(new Error("boom"));

    await expect(mapConcurrent([1], 1, fail)).rejects.toThrow("boom");
  });
});
