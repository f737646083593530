class Scripted(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  def forward(self: __torch__.Scripted,
    x: Tensor,
    n: int) -> Tensor:
    if bool(torch.gt(torch.sum(x), 0)):
      x0 = torch.mul(x, 2)
    else:
      x0 = x
    x1 = x0
    for i in range(n):
      x1 = torch.add(x1, i)
    return x1
