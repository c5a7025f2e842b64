import { Testing } from "cdktf";
import { OnlineBoutiqueStack } from "../../examples/online-boutique/main";
import { SockShopStack } from "../../examples/sock-shop/main";
import { kubernetesObjectsOf } from "../kubernetes-schema";
import { apiObjects, compareWithUpstream, loadUpstream, allowedConnections } from "./upstream";
test("x", () => {
  const ob = apiObjects(kubernetesObjectsOf(new OnlineBoutiqueStack(Testing.app(), "online-boutique")).objects);
  const r = compareWithUpstream(loadUpstream("online-boutique", "kubernetes-manifests.yaml"), ob, ["Deployment", "Service", "ServiceAccount", "Namespace"], []);
  const ss = apiObjects(kubernetesObjectsOf(new SockShopStack(Testing.app(), "sock-shop")).objects);
  const r2 = compareWithUpstream(loadUpstream("sock-shop", "complete-demo.yaml"), ss, ["Deployment", "Service", "ServiceAccount", "Namespace"], []);
  require("fs").writeFileSync("/tmp/diffs.txt", r.unlisted.join("\n") + "\n=====SS\n" + r2.unlisted.join("\n"));
  require("fs").writeFileSync("/tmp/np.json", JSON.stringify({ob: allowedConnections(ob, "online-boutique"), ss: allowedConnections(ss, "sock-shop")}, null, 1));
});
