import { Testing } from "cdktf";
import { OnlineBoutiqueStack } from "../../examples/online-boutique/main";
import { kubernetesObjectsOf } from "../kubernetes-schema";
test("x", () => {
  const stack = new OnlineBoutiqueStack(Testing.app(), "online-boutique");
  const objs = kubernetesObjectsOf(stack);
  const fs = require("fs");
  fs.writeFileSync("/tmp/ob.json", JSON.stringify(objs, null, 1));
});
import { SockShopStack } from "../../examples/sock-shop/main";
test("y", () => {
  const stack = new SockShopStack(Testing.app(), "sock-shop");
  const objs = kubernetesObjectsOf(stack);
  require("fs").writeFileSync("/tmp/ss.json", JSON.stringify(objs, null, 1));
});
