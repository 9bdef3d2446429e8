// ChunkAccessor class handler (docs/ksc-open-api.md#chunkaccessor).
import { params } from "../codec";
import { ClassHandler } from "../handler";
import { Models } from "./models";

export function chunkAccessorHandler(m: Models): ClassHandler {
  return {
    GetItemsCount: {
      args: { strAccessor: { type: "string" } },
      run: (a) => ({ ret: m.chunks.count(a.str("strAccessor")) }),
    },
    GetItemsChunk: {
      args: { strAccessor: { type: "string" }, nStart: { type: "int" }, nCount: { type: "int" } },
      run: (a) => {
        const items = m.chunks.chunk(a.str("strAccessor"), a.int("nStart"), a.int("nCount"));
        return { out: { pChunk: params({ KLCSP_ITERATOR_ARRAY: items }) }, ret: items.length };
      },
    },
    Release: {
      args: { strAccessor: { type: "string" } },
      run: (a) => {
        m.chunks.release(a.str("strAccessor"));
        return {};
      },
    },
  };
}
