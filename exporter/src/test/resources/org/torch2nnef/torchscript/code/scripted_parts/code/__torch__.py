class WithScriptedParts(Module):
  __parameters__ = ["p", ]
  __buffers__ = []
  p : Tensor
  training : bool
  _is_full_backward_hook : Optional[bool]
  sub : __torch__.torch.nn.modules.container.___torch_mangle_34.Sequential
  def forward(self: __torch__.WithScriptedParts,
    x: Tensor) -> Tensor:
    p = self.p
    sub = self.sub
    _0 = __torch__.scripted_helper((sub).forward(x, ), 2, )
    return torch.mul(_0, p)
def scripted_helper(x: Tensor,
    k: int=2) -> Tensor:
  return torch.add(torch.mul(x, k), 1)
