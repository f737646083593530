class Literals(Module):
  __parameters__ = []
  __buffers__ = ["scale", ]
  scale : Tensor
  training : bool
  _is_full_backward_hook : Optional[bool]
  def forward(self: __torch__.Literals,
    x: Tensor) -> Tuple[Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor]:
    scale = self.scale
    _0 = torch.gelu(x, approximate="tanh")
    _1 = torch.div(x, CONSTANTS.c0, rounding_mode="floor")
    _2 = torch.einsum("bij,bjk->bik", [x, torch.transpose(x, 1, 2)])
    input = torch.unsqueeze(x, 1)
    _3 = torch.upsample_bilinear2d(input, None, False, [2., 2.])
    _4 = torch.pad(x, [1, 1], "reflect")
    sm = torch.softmax(torch.mul(x, CONSTANTS.c1), -1)
    _5 = torch.argmax(x, -1, True)
    _6 = torch.add(sm, CONSTANTS.c2)
    _7 = torch.sum(x, dtype=7)
    _8 = torch.mul(x, torch.select(scale, 0, 0))
    _9 = (_0, _1, _2, _3, _4, _6, _5, _7, _8)
    return _9
